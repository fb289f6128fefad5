"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CopyBox } from "@/components/ui/copy-box";
import { issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage, isApiError } from "@/lib/queries/api";
import {
  createToken,
  fetchTokens,
  revokeToken,
  TOKEN_LIST_REFETCH_MS,
  type TokenView,
  tokenKeys,
} from "@/lib/queries/tokens";
import { CreateTokenForm } from "./create-token-form";
import { TokenTable } from "./token-table";

/** Container: token list (live), creation (token shown once) and revocation. */
export function TokensManager({ initialTokens }: { initialTokens: TokenView[] }) {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);

  const tokens = useQuery({
    queryKey: tokenKeys.list(),
    queryFn: ({ signal }) => fetchTokens(signal),
    initialData: { items: initialTokens },
    refetchInterval: TOKEN_LIST_REFETCH_MS,
  });

  // gcTime 0: the one response holding the token does not linger in the mutation cache.
  const create = useMutation({
    mutationFn: createToken,
    gcTime: 0,
    onSuccess: async ({ token, item }) => {
      setCreated({ token, name: item.name });
      setMessage(null);
      await queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });

  const revoke = useMutation({
    mutationFn: (t: TokenView) => revokeToken(t.id),
    gcTime: 0,
    onMutate: (t) => setBusyIds((s) => new Set(s).add(t.id)),
    onSuccess: (_d, t) => setMessage({ tone: "ok", text: `Token ${t.name} revoked.` }),
    onError: (err, t) => setMessage({ tone: "danger", text: `${t.name}: ${errorMessage(err)}` }),
    onSettled: async (_d, _e, t) => {
      setBusyIds((s) => {
        const n = new Set(s);
        n.delete(t.id);
        return n;
      });
      await queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });

  return (
    <>
      <PageHeader
        title="API tokens"
        description="For automation and scripts: send as Authorization: Bearer <token>."
      />
      <div aria-live="polite">
        {message ? (
          <Notice
            tone={message.tone}
            title={message.text}
            role={message.tone === "danger" ? "alert" : "status"}
          />
        ) : null}
      </div>
      {created ? (
        <section className="notice notice--warn" aria-labelledby="new-token-title" data-testid="new-token">
          <p className="notice-title" id="new-token-title">
            <span aria-hidden="true">▲</span> Copy the token for {created.name} now
          </p>
          <p>
            This is the only time Outpost shows it: only a hash is stored. If you lose it, revoke it and
            create another.
          </p>
          <CopyBox value={created.token} label="New API token" />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </section>
      ) : null}
      <section className="card" aria-labelledby="create-token-title">
        <h2 id="create-token-title">Create token</h2>
        {create.isError && !(isApiError(create.error) && create.error.issues.length > 0) ? (
          <Notice tone="danger" title="Could not create the token" role="alert">
            <p>{errorMessage(create.error)}</p>
          </Notice>
        ) : null}
        <CreateTokenForm
          isPending={create.isPending}
          serverErrors={create.isError && isApiError(create.error) ? issuesToErrors(create.error.issues) : {}}
          onSubmit={(values) => create.mutate(values)}
        />
      </section>
      <section aria-labelledby="token-list-title" className="stack">
        <h2 id="token-list-title">All tokens</h2>
        <TokenTable tokens={tokens.data.items} busyIds={busyIds} onRevoke={(t) => revoke.mutate(t)} />
      </section>
    </>
  );
}
