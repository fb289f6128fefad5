"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { errorMessage } from "@/lib/queries/api";
import {
  deploymentKeys,
  fetchCompare,
  type ObjectComparison,
  type RevisionSummary,
} from "@/lib/queries/deployments";
import styles from "./deploy.module.css";
import { FieldChanges } from "./field-changes";

/** Container: two revisions side by side, object by object, with the changed fields. */
export function RevisionCompare({
  deploymentId,
  revisions,
}: {
  deploymentId: string;
  revisions: RevisionSummary[];
}) {
  const newest = revisions[0]?.number ?? 1;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const query = useQuery({
    queryKey: deploymentKeys.compare(deploymentId, from, to),
    queryFn: ({ signal }) => fetchCompare(deploymentId, from, to, signal),
    enabled: revisions.length > 1,
  });
  if (revisions.length < 2) return null;
  return (
    <section aria-labelledby="compare-title" className="card stack" data-testid="revision-compare">
      <h2 id="compare-title">Compare revisions</h2>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">From</span>
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {revisions.map((r) => (
              <option key={r.number} value={r.number}>
                r{r.number}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">To</span>
          <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {revisions.map((r) => (
              <option key={r.number} value={r.number}>
                r{r.number}
              </option>
            ))}
          </select>
        </label>
      </div>
      {query.isError ? <p className="field-error">{errorMessage(query.error)}</p> : null}
      {(query.data?.objects ?? []).map((o) => (
        <ObjectDiff key={o.key} object={o} />
      ))}
    </section>
  );
}

const STATUS_TONE = { added: "ok", removed: "danger", changed: "info", unchanged: "neutral" } as const;

function ObjectDiff({ object: o }: { object: ObjectComparison }) {
  return (
    <details open={o.status !== "unchanged"}>
      <summary>
        {o.label} <Badge tone={STATUS_TONE[o.status]}>{o.status}</Badge>
      </summary>
      {o.status === "changed" ? <FieldChanges changes={o.changes} /> : null}
      {o.lines && o.status !== "unchanged" ? (
        <div className="table-wrap">
          <table className={styles.sideBySide}>
            <caption className="visually-hidden">{o.label}, before and after</caption>
            <thead className="visually-hidden">
              <tr>
                <th scope="col">line</th>
                <th scope="col">before</th>
                <th scope="col">line</th>
                <th scope="col">after</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l, i) => (
                <tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in a fixed diff
                  key={i}
                  className={
                    l.kind === "removed"
                      ? styles.rowRemoved
                      : l.kind === "added"
                        ? styles.rowAdded
                        : l.kind === "changed"
                          ? styles.rowChanged
                          : undefined
                  }
                >
                  <td className={styles.num}>{l.left?.number ?? ""}</td>
                  <td className={styles.left}>{l.left?.text ?? ""}</td>
                  <td className={styles.num}>{l.right?.number ?? ""}</td>
                  <td className={styles.right}>{l.right?.text ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
