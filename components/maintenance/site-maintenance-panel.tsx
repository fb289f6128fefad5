"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNow } from "@/components/hooks/use-now";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { errorMessage, isApiError } from "@/lib/queries/api";
import {
  endMaintenance,
  fetchSiteMaintenance,
  MAINTENANCE_POLL_MS,
  maintenanceKeys,
  startMaintenance,
} from "@/lib/queries/maintenance";
import { ActiveMaintenanceNotice, MaintenanceHistory, StartMaintenanceForm } from "./maintenance-view";

/** Container: the site page's maintenance switch (operators start and end it; everyone sees it). */
export function SiteMaintenancePanel({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const now = useNow() ?? Date.now();
  const [errors, setErrors] = useState<FieldErrors>({});
  const state = useQuery({
    queryKey: maintenanceKeys.site(slug),
    queryFn: ({ signal }) => fetchSiteMaintenance(slug, signal),
    refetchInterval: MAINTENANCE_POLL_MS,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
  const start = useMutation({
    mutationFn: (input: { reason: string; durationMinutes: number }) => startMaintenance(slug, input),
    onMutate: () => setErrors({}),
    onSuccess: refresh,
    onError: (err) => setErrors(isApiError(err) ? issuesToErrors(err.issues) : {}),
  });
  const end = useMutation({ mutationFn: (id: string) => endMaintenance(slug, id), onSuccess: refresh });

  const data = state.data;
  return (
    <section className="card" aria-labelledby="site-maintenance-title" data-testid="site-maintenance">
      <h2 id="site-maintenance-title">Maintenance</h2>
      {state.isError && !data ? (
        <p className="muted">Maintenance state unavailable: {errorMessage(state.error)}</p>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          {data.active ? (
            <ActiveMaintenanceNotice
              window={data.active}
              now={now}
              onEnd={canEdit ? () => data.active && end.mutate(data.active.id) : undefined}
              isEnding={end.isPending}
            />
          ) : (
            <>
              <p data-testid="maintenance-off">
                Not in maintenance. While it is, alerts stay visible but notify nobody, and deployments hold
                this site.
              </p>
              {canEdit ? (
                <StartMaintenanceForm
                  onSubmit={(input) => start.mutate(input)}
                  isBusy={start.isPending}
                  errors={errors}
                />
              ) : null}
            </>
          )}
          {start.isError && Object.keys(errors).length === 0 ? (
            <Notice tone="danger" title="Could not start maintenance" role="alert">
              <p>{errorMessage(start.error)}</p>
            </Notice>
          ) : null}
          {end.isError ? (
            <Notice tone="danger" title="Could not end maintenance" role="alert">
              <p>{errorMessage(end.error)}</p>
            </Notice>
          ) : null}
          <MaintenanceHistory
            upcoming={data.upcoming}
            recent={data.recent}
            onCancel={canEdit ? (id) => end.mutate(id) : undefined}
          />
        </>
      )}
    </section>
  );
}
