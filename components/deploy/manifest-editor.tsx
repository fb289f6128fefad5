"use client";

import { useQuery } from "@tanstack/react-query";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { Badge } from "@/components/ui/badge";
import { validateManifest } from "@/lib/queries/deployments";
import styles from "./deploy.module.css";

const VALIDATE_DEBOUNCE_MS = 400;

/** A manifest textarea (paste or upload) checked as you type: every problem by document and field. */
export function ManifestEditor({
  id,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  describedBy?: string;
}) {
  const debounced = useDebouncedValue(value, VALIDATE_DEBOUNCE_MS);
  const check = useQuery({
    queryKey: ["deployments", "validate", debounced],
    queryFn: ({ signal }) => validateManifest(debounced, signal),
    enabled: debounced.trim().length > 0,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const issues = check.data?.issues ?? [];
  const errors = issues.filter((i) => i.severity === "error");
  return (
    <div>
      <textarea
        id={id}
        className={styles.manifest}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        aria-describedby={[describedBy, `${id}-check`].filter(Boolean).join(" ")}
        aria-invalid={errors.length > 0}
        placeholder={"apiVersion: apps/v1\nkind: Deployment\n…\n---\napiVersion: v1\nkind: ConfigMap\n…"}
      />
      <div className="inline">
        <label className="button button--small">
          Upload YAML…
          <input
            type="file"
            accept=".yaml,.yml,.json,text/yaml,application/json"
            className="visually-hidden"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (file) onChange(await file.text());
            }}
          />
        </label>
      </div>
      <div id={`${id}-check`} aria-live="polite" data-testid="manifest-check">
        {debounced.trim() === "" ? null : check.isPending ? (
          <p className="muted">Checking…</p>
        ) : check.data ? (
          <>
            <p>
              {check.data.objects.length === 1 ? "1 object" : `${check.data.objects.length} objects`}
              {check.data.objects.length > 0
                ? `: ${check.data.objects
                    .slice(0, 8)
                    .map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`)
                    .join(", ")}${check.data.objects.length > 8 ? "…" : ""}`
                : ""}{" "}
              {check.data.requiredRole === "admin" ? <Badge tone="warn">needs admin</Badge> : null}
            </p>
            {issues.length > 0 ? (
              <ul className={styles.issues}>
                {issues.map((i) => (
                  <li
                    key={i.text}
                    className={i.severity === "error" ? styles.issueError : styles.issueWarning}
                  >
                    {i.severity === "error" ? "✖ " : "▲ "}
                    {i.text}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">✔ No problems found.</p>
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}
