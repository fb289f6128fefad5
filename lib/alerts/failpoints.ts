import "server-only";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// Failpoints for the failover proofs (lib/alerts/several-workers.test.ts): the
// moments where a dying or paused worker could lose or repeat a notification
// cannot be hit from outside by timing. A test arms one by creating a file named
// after it in OUTPOST_FAILPOINTS_DIR; the first process to reach it claims the
// file (an atomic rename, so exactly one worker of several stops) and stops
// itself with SIGSTOP right there. The test then kill -9s it or lets it go on
// (SIGCONT) past its lease. Unset in production: a no-op that touches nothing.

export type FailpointName =
  /** the evaluation decided to notify; nothing written yet */
  | "alerts.evaluate.before-write"
  /** inside the evaluation's write transaction: the lease checked (and locked), nothing written yet */
  | "alerts.evaluate.in-write"
  /** alert state and the outbox rows committed; nothing sent */
  | "alerts.evaluate.after-commit"
  /** a delivery claimed; the request not sent */
  | "alerts.deliver.before-send"
  /** the receiver answered; the outbox row not marked */
  | "alerts.deliver.after-send";

export function failpoint(name: FailpointName): void {
  const dir = env().OUTPOST_FAILPOINTS_DIR;
  if (!dir) return;
  const armed = path.join(dir, name);
  try {
    fs.renameSync(armed, `${armed}.reached-by-${process.pid}`);
  } catch {
    return; // not armed, or another process got there first
  }
  // Written synchronously (a pipe on Linux) before the process stops, so the test sees where it stopped.
  fs.writeSync(
    1,
    `${JSON.stringify({ t: new Date().toISOString(), level: "warn", msg: "failpoint reached", failpoint: name, pid: process.pid })}\n`,
  );
  process.kill(process.pid, "SIGSTOP");
}
