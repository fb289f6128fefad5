"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/queries/api";
import {
  type DataSourceTestResult,
  type DataSourceView,
  dataSourceKeys,
  deleteDataSource,
  fetchDataSources,
  testStoredDataSource,
} from "@/lib/queries/data-sources";
import { DataSourceTestPanel } from "./data-source-test-panel";

const AUTH_LABELS: Record<DataSourceView["authKind"], string> = {
  none: "none",
  basic: "user + password",
  token: "token",
};

/** Container: the data source list with test and delete; creation and editing live on their own pages. */
export function DataSourcesManager({ initial }: { initial: DataSourceView[] }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);
  const [tested, setTested] = useState<{ id: string; result: DataSourceTestResult } | null>(null);
  const list = useQuery({
    queryKey: dataSourceKeys.list(),
    queryFn: ({ signal }) => fetchDataSources(signal),
    initialData: { items: initial },
  });
  const remove = useMutation({
    mutationFn: (ds: DataSourceView) => deleteDataSource(ds.id),
    onSuccess: (r, ds) =>
      setMessage({
        tone: "ok",
        text: `${ds.name} deleted${r.promotedId ? "; another data source is now the default" : ""}.`,
      }),
    onError: (err, ds) => setMessage({ tone: "danger", text: `${ds.name}: ${errorMessage(err)}` }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: dataSourceKeys.all }),
  });
  const test = useMutation({
    mutationFn: (ds: DataSourceView) => testStoredDataSource(ds.id),
    onMutate: () => setTested(null),
    onSuccess: (result, ds) => setTested({ id: ds.id, result }),
    onError: (err, ds) => setMessage({ tone: "danger", text: `${ds.name}: ${errorMessage(err)}` }),
  });
  const items = list.data.items;
  return (
    <>
      <PageHeader
        title="Data sources"
        description="Where site telemetry (temperature, connectivity, turbines) is read from: InfluxDB over its v1 query API."
        actions={
          <Link className="button button--primary" href="/settings/data-sources/new">
            Add data source
          </Link>
        }
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
      {items.length === 0 ? (
        <p className="empty">
          No data source yet: site health works from the Kubernetes API alone, and telemetry stays "unknown"
          until you <Link href="/settings/data-sources/new">add one</Link>.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Configured data sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Database</th>
                <th scope="col">Auth</th>
                <th scope="col">Sites bound</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((ds) => (
                <tr key={ds.id}>
                  <th scope="row">
                    <Link href={`/settings/data-sources/${ds.id}`}>{ds.name}</Link>{" "}
                    {ds.isDefault ? <Badge tone="info">default</Badge> : null}
                  </th>
                  <td className="mono">{ds.url}</td>
                  <td className="mono">
                    {ds.database}
                    {ds.retentionPolicy ? `.${ds.retentionPolicy}` : ""}
                  </td>
                  <td>
                    {AUTH_LABELS[ds.authKind]}
                    {ds.authKind !== "none" ? (ds.hasSecret ? " (stored)" : " (missing)") : ""}
                  </td>
                  <td>{ds.siteCount}</td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        className="button button--small"
                        disabled={test.isPending && test.variables?.id === ds.id}
                        onClick={() => test.mutate(ds)}
                      >
                        {test.isPending && test.variables?.id === ds.id ? "Testing…" : "Test"}
                      </button>
                      <Link className="button button--small" href={`/settings/data-sources/${ds.id}`}>
                        Edit
                      </Link>
                      <ConfirmButton
                        label="Delete"
                        className="button button--small button--danger"
                        title={`Delete ${ds.name}?`}
                        confirmLabel="Delete data source"
                        isBusy={remove.isPending && remove.variables?.id === ds.id}
                        onConfirm={() => remove.mutate(ds)}
                      >
                        <p>
                          {ds.siteCount > 0
                            ? `${ds.siteCount} sites read from it; they fall back to the default data source.`
                            : "No site reads from it directly."}
                          {ds.isDefault ? " Another data source becomes the default." : ""}
                        </p>
                      </ConfirmButton>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {tested ? (
        <section aria-label={`Test of ${items.find((d) => d.id === tested.id)?.name ?? "data source"}`}>
          <DataSourceTestPanel result={tested.result} />
        </section>
      ) : null}
    </>
  );
}
