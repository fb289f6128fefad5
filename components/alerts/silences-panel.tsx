"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { formatDateTime } from "@/components/ui/format";
import {
  ALERT_SETTINGS_POLL_MS,
  alertKeys,
  createSilence,
  expireSilence,
  fetchSilences,
} from "@/lib/queries/alerts";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { SilenceForm } from "./silence-form";

/** Container: active and recent silences; operators add and expire them (audited). */
export function SilencesPanel({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [isAdding, setIsAdding] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const list = useQuery({
    queryKey: alertKeys.silences(),
    queryFn: ({ signal }) => fetchSilences(signal),
    refetchInterval: ALERT_SETTINGS_POLL_MS,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: alertKeys.all });
  const add = useMutation({
    mutationFn: createSilence,
    onMutate: () => setErrors({}),
    onSuccess: async () => {
      setIsAdding(false);
      await refresh();
    },
    onError: (err) => setErrors(isApiError(err) ? issuesToErrors(err.issues) : {}),
  });
  const expire = useMutation({ mutationFn: expireSilence, onSuccess: refresh });
  const silences = list.data?.silences ?? [];
  return (
    <section className="card" aria-labelledby="silences-title" data-testid="silences">
      <h2 id="silences-title">Silences</h2>
      {list.isError ? <p className="muted">Silences unavailable: {errorMessage(list.error)}</p> : null}
      {silences.length === 0 ? <p className="muted">No silences.</p> : null}
      <ul className="plain-list">
        {silences.map((s) => (
          <li key={s.id} className={s.isActive ? undefined : "muted"}>
            {s.matchers.map((m) => `${m.name}${m.op}${m.value}`).join(", ")} — {s.comment}{" "}
            <span className="small muted">
              ({s.createdBy},{" "}
              {s.isActive ? `until ${formatDateTime(s.endsAt)}` : `ended ${formatDateTime(s.endsAt)}`}
              {s.endedBy ? ` by ${s.endedBy}` : ""})
            </span>{" "}
            {canEdit && s.isActive ? (
              <button
                type="button"
                className="button button--small button--ghost"
                disabled={expire.isPending}
                onClick={() => expire.mutate(s.id)}
              >
                Expire now
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        isAdding ? (
          <SilenceForm
            initial={[]}
            isBusy={add.isPending}
            errors={errors}
            onCancel={() => setIsAdding(false)}
            onSubmit={(input) => add.mutate(input)}
          />
        ) : (
          <button type="button" className="button" onClick={() => setIsAdding(true)}>
            New silence
          </button>
        )
      ) : null}
    </section>
  );
}
