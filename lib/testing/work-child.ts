// A real second (third, …) Outpost process for lib/work's multi-process tests:
// reads JSON commands from stdin, runs them against the database named by its
// environment (OUTPOST_DATA_DIR / DATABASE_URL), answers on stdout. Driven by
// lib/testing/work-process.ts. Never imported by product code.
import { createInterface } from "node:readline";
import { DELIVERY_QUEUE, type DeliveryPayload, deliver, enqueueDelivery } from "@/lib/alerts/dispatch";
import { AlertEngine } from "@/lib/alerts/engine";
import { db } from "@/lib/db/client";
import { instanceId } from "@/lib/work/instance";
import { type ClaimedJob, claim, complete, enqueue } from "@/lib/work/jobs";
import { acquireLease, fenced, type Lease, releaseLease, renewLease } from "@/lib/work/lease";
import { createRunner } from "@/lib/work/runner";

type Args = Record<string, unknown>;
const owner = instanceId();

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const revive = <T>(value: unknown): T =>
  JSON.parse(JSON.stringify(value), (k, v) =>
    typeof v === "string" && /At$/.test(k) && /^\d{4}-/.test(v) ? new Date(v) : v,
  ) as T;

async function spinUntil(at: number | undefined): Promise<void> {
  if (!at) return;
  while (Date.now() < at - 20) await new Promise((r) => setTimeout(r, 5));
  while (Date.now() < at) {
    // busy-wait the last milliseconds so racing processes fire together
  }
}

const commands: Record<string, (args: Args) => Promise<unknown>> = {
  async whoami() {
    await db().workLease.count(); // connect and migrate before racing
    return { owner, pid: process.pid };
  },
  async acquire(args) {
    await spinUntil(args.at as number | undefined);
    return acquireLease(String(args.name), owner, Number(args.ttlMs));
  },
  renew: (args) => renewLease(revive<Lease>(args.lease), Number(args.ttlMs)),
  fencedEnqueue: (args) =>
    fenced(revive<Lease>(args.lease), (tx) =>
      enqueue(tx, { queue: String(args.queue), key: String(args.key), payload: { by: owner } }),
    ),
  claim: (args) =>
    claim(String(args.queue), owner, { limit: Number(args.limit ?? 1), leaseMs: Number(args.leaseMs) }),
  complete: (args) => complete(revive<ClaimedJob>(args.job), { result: { by: owner } }),
  /** claims one job at a time until the queue is empty; returns the keys this process got */
  async drain(args) {
    await spinUntil(args.at as number | undefined);
    const keys: string[] = [];
    for (;;) {
      const [job] = await claim(String(args.queue), owner, { limit: 1, leaseMs: 60_000 });
      if (!job) return keys;
      keys.push(job.key);
      await complete(job, { result: { by: owner } });
    }
  },
  /**
   * Delivers the queue's jobs to an HTTP receiver with the job key as
   * Idempotency-Key; `crash` kills this process with SIGKILL at that point of
   * the first delivery (before the request, or after the receiver accepted it
   * but before the job is marked done).
   */
  async deliver(args) {
    const crash = args.crash as "before-send" | "after-send" | undefined;
    const runner = createRunner<{ message: string }>({
      queue: String(args.queue),
      owner,
      concurrency: 1,
      leaseMs: Number(args.leaseMs),
      pollMs: Number(args.pollMs ?? 100),
      backoff: { baseMs: 50, maxMs: 200, jitter: 0 },
      async handler(job, { signal }) {
        if (crash === "before-send") process.kill(process.pid, "SIGKILL");
        const res = await fetch(String(args.url), {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": `${job.queue}:${job.key}` },
          body: JSON.stringify({ ...job.payload, attempt: job.attempt, epoch: job.epoch, owner }),
          signal,
        });
        if (!res.ok) throw new Error(`receiver answered ${res.status}`);
        if (crash === "after-send") process.kill(process.pid, "SIGKILL");
        return { status: res.status };
      },
    });
    runner.events.on("completed", (job) => send({ event: "completed", key: job.key, epoch: job.epoch }));
    runner.events.on("lost", (job) => send({ event: "lost", key: job.key, epoch: job.epoch }));
    runner.start();
    return { started: true };
  },
  /** alerts: one fleet evaluation as the lease-holding evaluator (state + outbox in one fenced transaction) */
  async alertsEvaluate(args) {
    const lease = await acquireLease("alerts-evaluator", owner, 60_000);
    if (!lease) throw new Error("the evaluator lease is held by another process");
    try {
      const engine = new AlertEngine({
        transaction: (fn) => fenced(lease, fn),
        enqueueDelivery,
        externalUrl: "http://outpost.test",
        intervalMs: Number(args.intervalMs ?? 15_000),
      });
      const summary = await engine.evaluate(Number(args.now));
      return { deliveries: summary.deliveries, transitions: summary.transitions };
    } finally {
      await releaseLease(lease);
    }
  },
  /**
   * alerts: the notification dispatcher; `crash` kills this process with SIGKILL
   * before its first send, or after the receiver accepted it but before the
   * delivery is recorded.
   */
  async alertsDeliver(args) {
    const crash = args.crash as "before-send" | "after-send" | undefined;
    const runner = createRunner<DeliveryPayload>({
      queue: DELIVERY_QUEUE,
      owner,
      concurrency: 1,
      leaseMs: Number(args.leaseMs),
      pollMs: 100,
      backoff: { baseMs: 50, maxMs: 200, jitter: 0 },
      handler(job, ctx) {
        if (crash === "before-send") process.kill(process.pid, "SIGKILL");
        // deliver() checks its claim (fenced #1) just before sending and records the outcome (fenced #2) after.
        let fencedCalls = 0;
        return deliver(job, {
          completeIn: ctx.completeIn,
          fenced: (fn) => {
            fencedCalls++;
            if (crash === "after-send" && fencedCalls === 2) process.kill(process.pid, "SIGKILL");
            return ctx.fenced(fn);
          },
        });
      },
    });
    runner.events.on("completed", (job) => send({ event: "completed", key: job.key, epoch: job.epoch }));
    runner.start();
    return { started: true };
  },
};

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { id, cmd, args } = JSON.parse(line) as { id: number; cmd: string; args: Args };
  const fn = commands[cmd];
  if (!fn) {
    send({ id, ok: false, error: "UnknownCommand", message: cmd });
    return;
  }
  fn(args ?? {}).then(
    (value) => send({ id, ok: true, value: value ?? null }),
    (err: Error) => send({ id, ok: false, error: err.name, message: err.message }),
  );
});
lines.on("close", () => process.exit(0));
