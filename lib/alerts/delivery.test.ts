import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { clearQueryCache } from "@/lib/influx/client";
import { createDataSource } from "@/lib/telemetry/data-sources";
import { polledStatus, WebhookReceiver } from "@/lib/testing/alerts-fixtures";
import { createDatabase, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { until } from "@/lib/testing/until";
import { spawnWorkProcess, type WorkProcess } from "@/lib/testing/work-process";
import { createRunner } from "@/lib/work/runner";
import { createContactPoint } from "./contact-points";
import { DELIVERY_QUEUE, type DeliveryPayload, deliver, enqueueDelivery } from "./dispatch";
import { AlertEngine } from "./engine";
import { createRule } from "./rules-store";

// The full path from points in a real influxd to a signed webhook at a real HTTP
// receiver: retries after 500s with exactly one accepted delivery per change, and
// kill -9 of real processes between "state changed" and "delivered".

const DB = "alerts";
const S = 1_000;
const EVERY = 15 * S;
const RETRY = { baseMs: 50, maxMs: 200, maxAgeMs: 24 * 3_600_000 };

let cleanup: (() => Promise<void>) | undefined;
let dataDir = "";
let influx: InfluxdInstance;
let receiver: WebhookReceiver;
let clusterId = "";
let contactPointId = "";
const children: WorkProcess[] = [];
/** Each test lives in its own stretch of past time, later than the previous one's points. */
const BASE = Math.floor(Date.now() / EVERY) * EVERY - 3 * 3_600_000;

async function write(values: { value: number; at: number }[]): Promise<void> {
  const body = values.map(
    (p) => `temp,site=hook-store,cluster=edge,host=n1,sensor=board temp=${p.value} ${p.at}`,
  );
  const res = await fetch(`${influx.url}/write?db=${DB}&precision=ms`, {
    method: "POST",
    body: body.join("\n"),
  });
  expect(res.status).toBe(204);
  clearQueryCache();
}

async function polled(at: number) {
  const status = polledStatus(at, ["n1"]);
  await db().clusterStatus.upsert({ where: { clusterId }, create: { clusterId, ...status }, update: status });
}

function engine(): AlertEngine {
  return new AlertEngine({
    transaction: (fn) => transaction(fn),
    enqueueDelivery,
    externalUrl: "http://outpost.test",
    intervalMs: EVERY,
  });
}

/** Hot (or cool) points for the minute before `t`. */
async function pointsUntil(t: number, value: number) {
  await write(Array.from({ length: 12 }, (_, k) => ({ value, at: t - 55 * S + k * 5 * S })));
}

beforeAll(async () => {
  const tmp = await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1", OUTPOST_POLL_INTERVAL_SECONDS: "10" });
  cleanup = tmp.cleanup;
  dataDir = tmp.dir;
  influx = await startInfluxd();
  await createDatabase(influx.url, DB);
  await createDataSource({ name: "Telegraf", url: influx.url, database: DB });
  receiver = new WebhookReceiver();
  await receiver.start();
  const site = await db().site.create({
    data: {
      slug: "hook-store",
      name: "Hook store",
      kind: "store",
      clusters: {
        create: [
          {
            name: "edge",
            server: "https://10.2.2.2:6443",
            contextName: "edge",
            authKind: "token",
            kubeconfigEnc: "x",
          },
        ],
      },
    },
    include: { clusters: true },
  });
  clusterId = site.clusters[0]?.id ?? "";
  const cp = await createContactPoint({ name: "receiver", kind: "webhook", url: receiver.url });
  contactPointId = cp.contactPoint.id;
  receiver.secret = cp.secret;
});

afterAll(async () => {
  for (const c of children) {
    c.kill("SIGKILL");
    await c.exited;
  }
  await receiver?.stop();
  await influx?.stop();
  await cleanup?.();
});

beforeEach(async () => {
  await db().alertRule.deleteMany();
  await db().alertEvaluatorState.deleteMany();
  await db().workJob.deleteMany();
  receiver.accepted.length = 0;
  receiver.requests.length = 0;
  await createRule(
    {
      name: "Board temperature",
      kind: "temperature",
      forSeconds: 0,
      clearForSeconds: 0,
      groupWaitSeconds: 0,
      groupIntervalSeconds: 1,
      contactPointIds: [contactPointId],
    },
    "test",
  );
});

describe("notifications from InfluxDB points to a signed webhook", () => {
  it("retries after the receiver answers 500 twice, then exactly one accepted delivery per transition", async () => {
    const t = BASE;
    await pointsUntil(t, 90);
    await polled(t);
    const fired = await engine().evaluate(t);
    expect(fired.deliveries).toHaveLength(1);
    receiver.failNext = { count: 2, status: 500 };
    const runner = createRunner<DeliveryPayload>({
      queue: DELIVERY_QUEUE,
      owner: "test-dispatch",
      pollMs: 50,
      backoff: { baseMs: RETRY.baseMs, maxMs: RETRY.maxMs, jitter: 0 },
      handler: (job, ctx) => deliver(job, ctx, RETRY),
    });
    runner.start();
    try {
      await runner.events.waitFor("completed", undefined, 20_000);
      expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 202]);
      expect(receiver.requests.every((r) => r.isSigned && r.key === fired.deliveries[0])).toBe(true);
      expect(receiver.accepted).toHaveLength(1);
      const body = receiver.accepted[0]?.body;
      expect(body).toMatchObject({
        version: "4",
        status: "firing",
        groupKey: expect.stringContaining("rule="),
      });
      expect(body?.alerts[0]).toMatchObject({
        status: "firing",
        value: 90,
        node: "n1",
        threshold: { celsius: 80, source: "fleet default" },
        site: { slug: "hook-store" },
      });
      const log = await db().alertDelivery.findUniqueOrThrow({
        where: { id: fired.deliveries[0] ?? "" },
        include: { attemptLog: { orderBy: { attempt: "asc" } } },
      });
      expect(log.state).toBe("delivered");
      expect(log.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 202],
      ]);
      expect(log.attemptLog.every((a) => a.latencyMs >= 0)).toBe(true);

      // Cooling resolves it: one more signed message, "resolved".
      await pointsUntil(t + 2 * EVERY, 60);
      await polled(t + 2 * EVERY);
      const resolved = await engine().evaluate(t + 2 * EVERY);
      expect(resolved.deliveries).toHaveLength(1);
      await until(() => receiver.accepted.length === 2);
      expect(receiver.accepted[1]?.body.status).toBe("resolved");
      expect(receiver.accepted[1]?.body.alerts[0]?.endsAt).not.toBe("0001-01-01T00:00:00Z");
    } finally {
      await runner.stop();
    }
  });

  it("a 4xx is the receiver refusing the message: logged, not retried", async () => {
    const t = BASE + 20 * 60 * S;
    await pointsUntil(t, 90);
    await polled(t);
    const fired = await engine().evaluate(t);
    receiver.failNext = { count: 1, status: 410 };
    const runner = createRunner<DeliveryPayload>({
      queue: DELIVERY_QUEUE,
      owner: "test-dispatch",
      pollMs: 50,
      handler: (job, ctx) => deliver(job, ctx, RETRY),
    });
    runner.start();
    try {
      await runner.events.waitFor("completed", undefined, 20_000);
      const log = await db().alertDelivery.findUniqueOrThrow({ where: { id: fired.deliveries[0] ?? "" } });
      expect(log).toMatchObject({ state: "failed", lastStatusCode: 410, attempts: 1 });
      expect(receiver.accepted).toHaveLength(0);
    } finally {
      await runner.stop();
    }
  });
});

describe("kill -9 between 'state changed' and 'delivered'", () => {
  const LEASE_MS = 1_500;

  it("the evaluator's process dies before sending: the next worker delivers it once; nothing is repeated", async () => {
    const t = BASE + 40 * 60 * S;
    await pointsUntil(t, 91);
    await polled(t);
    const evaluator = await spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir, OUTPOST_ALLOW_LOOPBACK: "1" });
    children.push(evaluator);
    // One real process changes the state and queues the notification, then dies before sending it.
    const first = await evaluator.call<{ deliveries: string[] }>("alertsEvaluate", { now: t });
    expect(first.deliveries).toHaveLength(1);
    await evaluator.call("alertsDeliver", { crash: "before-send", leaseMs: LEASE_MS });
    expect(await evaluator.exited).toBe("SIGKILL");
    expect(receiver.requests).toHaveLength(0);
    expect(await db().alertInstance.count({ where: { phase: "firing" } })).toBe(1);

    // A fresh process: evaluating again says nothing new, and its dispatcher sends the queued one once.
    const next = await spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir, OUTPOST_ALLOW_LOOPBACK: "1" });
    children.push(next);
    await pointsUntil(t + EVERY, 91);
    await polled(t + EVERY);
    const again = await next.call<{ deliveries: string[] }>("alertsEvaluate", { now: t + EVERY });
    expect(again.deliveries).toEqual([]);
    await next.call("alertsDeliver", { leaseMs: LEASE_MS });
    await until(() => receiver.accepted.length === 1);
    await until(
      async () =>
        (await db().alertDelivery.findUniqueOrThrow({ where: { id: first.deliveries[0] ?? "" } })).state ===
        "delivered",
    );
    expect(receiver.accepted.map((a) => a.key)).toEqual(first.deliveries);
    expect(receiver.requests).toHaveLength(1);
    // Its dispatcher must not take the next test's delivery.
    next.kill("SIGKILL");
    await next.exited;
  });

  it("dies after the receiver accepted but before recording it: sent again with the same key, accepted once", async () => {
    const t = BASE + 60 * 60 * S;
    await pointsUntil(t, 92);
    await polled(t);
    const evaluator = await spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir, OUTPOST_ALLOW_LOOPBACK: "1" });
    children.push(evaluator);
    const first = await evaluator.call<{ deliveries: string[] }>("alertsEvaluate", { now: t });
    expect(first.deliveries).toHaveLength(1);
    await evaluator.call("alertsDeliver", { crash: "after-send", leaseMs: LEASE_MS });
    expect(await evaluator.exited).toBe("SIGKILL");
    expect(receiver.accepted).toHaveLength(1);
    const survivor = await spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir, OUTPOST_ALLOW_LOOPBACK: "1" });
    children.push(survivor);
    await survivor.call("alertsDeliver", { leaseMs: LEASE_MS });
    await until(
      async () =>
        (await db().alertDelivery.findUniqueOrThrow({ where: { id: first.deliveries[0] ?? "" } })).state ===
        "delivered",
    );
    // Two requests with one key; the receiver accepted the first and dropped the second.
    expect(receiver.requests.map((r) => r.key)).toEqual([first.deliveries[0], first.deliveries[0]]);
    expect(receiver.accepted).toHaveLength(1);
  });
});
