import type { RolloutSummary } from "@/lib/queries/deployments";
import styles from "./deploy.module.css";

type Progress = RolloutSummary["progress"];

/** done / in flight / waiting / failed of total, as a bar and in words (never colour alone). */
export function ProgressBar({ progress, label }: { progress: Progress; label?: string }) {
  const total = Math.max(progress.total, 1);
  const pct = (n: number) => `${(n * 100) / total}%`;
  const text = `${progress.done} done · ${progress.inFlight} in flight · ${progress.waiting} waiting · ${progress.failed} failed of ${progress.total}`;
  return (
    <div>
      <div className={styles.progress} role="img" aria-label={`${label ? `${label}: ` : ""}${text}`}>
        <span className={styles.done} style={{ width: pct(progress.done) }} />
        <span className={styles.inFlight} style={{ width: pct(progress.inFlight) }} />
        <span className={styles.waiting} style={{ width: pct(progress.waiting) }} />
        <span className={styles.failed} style={{ width: pct(progress.failed) }} />
      </div>
      <div className={styles.progressText} aria-hidden="true">
        {text}
      </div>
    </div>
  );
}
