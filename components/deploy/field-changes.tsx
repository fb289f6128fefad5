import type { FieldChange } from "@/lib/queries/deployments";
import styles from "./deploy.module.css";

const MAX_SHOWN = 40;

/** "spec.replicas: 3 → 1", field by field. */
export function FieldChanges({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return <p className="muted">No field changes.</p>;
  return (
    <ul className={styles.changes}>
      {changes.slice(0, MAX_SHOWN).map((c) => (
        <li key={`${c.path}:${c.kind}`}>
          <span className={styles.path}>{c.path}</span>
          {": "}
          {c.kind === "added" ? (
            <span className={styles.after}>+ {c.after}</span>
          ) : c.kind === "removed" ? (
            <span className={styles.before}>− {c.before}</span>
          ) : (
            <>
              <span className={styles.before}>{c.before}</span> →{" "}
              <span className={styles.after}>{c.after}</span>
            </>
          )}
        </li>
      ))}
      {changes.length > MAX_SHOWN ? <li className="muted">… and {changes.length - MAX_SHOWN} more</li> : null}
    </ul>
  );
}
