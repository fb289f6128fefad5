import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { clearQueryCache } from "@/lib/influx/client";
import { createDataSource } from "@/lib/telemetry/data-sources";
import { polledStatus } from "@/lib/testing/alerts-fixtures";
import { createDatabase, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { createContactPoint } from "./contact-points";
import { AlertEngine, type EngineDeps } from "./engine";
import type { Notification } from "./payload";
import { createRule } from "./rules-store";

// The evaluator against a real influxd and a real SQLite database: points in
// InfluxDB → instances, history and deliveries (the outbox's rows) in one
// transaction; a second engine (a restart) resumes without repeating; buffered
// points that arrive late are replayed in event time and announced once.

const DB = "alerts";
const S = 1_000;
const EVERY = 15 * S;
let cleanup: (() => Promise<void>) | undefined;
let influx: InfluxdInstance;
let siteId: string;
let clusterId: string;
let contactPointId: string;
const queued: string[] = [];
/**
 * Each test drives the engine through its own stretch of (past) time, later than the previous
 * test's points: points after an evaluation's "now" would look like a wrong clock.
 */
const BASE = Math.floor(Date.now() / EVERY) * EVERY - 3 * 3_600_000;

const deps = (): EngineDeps => ({
  transaction: (fn) => db().$transaction(fn),
  enqueueDelivery: async (_tx, id) => {
    queued.push(id);
  },
  externalUrl: "http://outpost.test",
  intervalMs: EVERY,
});

async function write(points: { host: string; value: number; at: number }[]): Promise<void> {
  const body = points.map(
    (p) => `temp,site=alerts-store,cluster=edge,host=${p.host},sensor=board temp=${p.value} ${p.at}`,
  );
  const res = await fetch(`${influx.url}/write?db=${DB}&precision=ms`, {
    method: "POST",
    body: body.join("\n"),
  });
  expect(res.status).toBe(204);
  clearQueryCache();
}

/** The collector just polled the cluster successfully (fresh, both nodes Ready). */
async function polled(at: number) {
  const status = polledStatus(at, ["n1", "n2"]);
  await db().clusterStatus.upsert({ where: { clusterId }, create: { clusterId, ...status }, update: status });
}

const deliveries = async () =>
  (await db().alertDelivery.findMany({ orderBy: { createdAt: "asc" } })).map((d) => ({
    ...d,
    body: JSON.parse(d.payload) as Notification,
  }));

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1", OUTPOST_POLL_INTERVAL_SECONDS: "10" }))
    .cleanup;
  influx = await startInfluxd();
  await createDatabase(influx.url, DB);
  await createDataSource({ name: "Telegraf", url: influx.url, database: DB });
  const site = await db().site.create({
    data: {
      slug: "alerts-store",
      name: "Alerts store",
      kind: "store",
      clusters: {
        create: [
          {
            name: "edge",
            server: "https://10.1.1.1:6443",
            contextName: "edge",
            authKind: "token",
            kubeconfigEnc: "x",
          },
        ],
      },
    },
    include: { clusters: true },
  });
  siteId = site.id;
  clusterId = site.clusters[0]?.id ?? "";
  contactPointId = (
    await createContactPoint({ name: "ops", kind: "webhook", url: "http://127.0.0.1:9/hook" })
  ).contactPoint.id;
});

afterAll(async () => {
  await influx?.stop();
  await cleanup?.();
});

beforeEach(async () => {
  queued.length = 0;
  await db().alertRule.deleteMany();
  await db().alertDelivery.deleteMany();
  await db().alertEvaluatorState.deleteMany();
  await db().alertSiteQuiet.deleteMany();
});

describe("alert engine (real influxd, real SQLite)", () => {
  it("points above the level → pending → firing → one delivery on the outbox; a restart repeats nothing", async () => {
    await createRule(
      {
        name: "Board temperature",
        kind: "temperature",
        forSeconds: 30,
        groupWaitSeconds: 0,
        contactPointIds: [contactPointId],
      },
      "test",
    );
    const t0 = BASE;
    const points = [];
    for (let t = t0 - 5 * 60 * S; t <= t0 + 5 * 60 * S; t += 5 * S) {
      points.push({ host: "n1", value: t >= t0 ? 86 : 60, at: t });
      points.push({ host: "n2", value: 55, at: t });
    }
    await write(points);
    const engine = new AlertEngine(deps());
    const kinds: string[] = [];
    for (let i = 0; i <= 4; i++) {
      const now = t0 + i * EVERY;
      await polled(now);
      const r = await engine.evaluate(now);
      kinds.push(`${r.transitions}:${r.deliveries.length}`);
    }
    // t0: pending; t0+30 s: firing, and with no group wait the message goes on the outbox at once.
    expect(kinds).toEqual(["1:0", "0:0", "1:1", "0:0", "0:0"]);
    const instance = await db().alertInstance.findFirstOrThrow({ where: { node: "n1" } });
    expect(instance).toMatchObject({ phase: "firing", severity: "warning", thresholdCelsius: 80, value: 86 });
    expect(JSON.parse(instance.thresholdSource ?? "{}")).toEqual({ level: "fleet", name: null });
    const sent = await deliveries();
    expect(sent).toHaveLength(1);
    expect(queued).toEqual([sent[0]?.id]);
    const body = sent[0]?.body;
    expect(body).toMatchObject({ version: "4", status: "firing", receiver: "ops", reason: "first" });
    expect(body?.alerts[0]).toMatchObject({
      status: "firing",
      node: "n1",
      value: 86,
      threshold: { celsius: 80, source: "fleet default" },
      labels: { alertname: "Board temperature", site: "alerts-store", node: "n1", severity: "warning" },
      reportedLate: false,
    });
    expect(body?.alerts[0]?.generatorURL).toMatch(/^http:\/\/outpost\.test\/sites\/alerts-store\?at=\d+$/);
    const history = await db().alertEvent.findMany({
      where: { instanceId: instance.id },
      orderBy: { at: "asc" },
    });
    expect(history.map((h) => h.kind)).toEqual(["pending", "firing"]);

    // A restart: a new engine (nothing in memory) resumes from the database and says nothing new.
    const restarted = new AlertEngine(deps());
    for (let i = 5; i <= 8; i++) {
      await polled(t0 + i * EVERY);
      const r = await restarted.evaluate(t0 + i * EVERY);
      expect(r.deliveries).toEqual([]);
    }
    expect((await db().alertInstance.findFirstOrThrow({ where: { node: "n1" } })).phase).toBe("firing");
    expect(await deliveries()).toHaveLength(1);
  });

  it("buffered points that arrive after an outage are evaluated in event time and announced once, late", async () => {
    await createRule(
      {
        name: "Late temperature",
        kind: "temperature",
        forSeconds: 30,
        clearForSeconds: 60,
        groupWaitSeconds: 0,
        groupIntervalSeconds: 1,
        contactPointIds: [contactPointId],
      },
      "test",
    );
    await db().alertInstance.deleteMany();
    const t0 = BASE + 30 * 60 * S;
    const engine = new AlertEngine(deps());
    // Live for a minute at 60 °C.
    await write(
      Array.from({ length: 13 }, (_, k) => ({ host: "n1", value: 60, at: t0 - 60 * S + k * 5 * S })),
    );
    for (let i = 0; i <= 2; i++) {
      await polled(t0 + i * EVERY);
      await engine.evaluate(t0 + i * EVERY);
    }
    // The link drops for 10 minutes: nothing arrives, the evaluator keeps going.
    for (let i = 3; i <= 42; i++) {
      await polled(t0 + i * EVERY);
      const r = await engine.evaluate(t0 + i * EVERY);
      expect(r.transitions).toBe(0);
    }
    expect(await db().alertSiteQuiet.count()).toBe(1);
    // It returns and flushes its buffer: 92 °C from minute 2 to minute 6 of the outage, then cool.
    const outageStart = t0 + 2 * EVERY;
    const buffered = [];
    for (let t = outageStart + 5 * S; t <= t0 + 43 * EVERY; t += 5 * S) {
      const minute = (t - outageStart) / 60_000;
      buffered.push({ host: "n1", value: minute >= 2 && minute < 6 ? 92 : 60, at: t });
    }
    await write(buffered);
    await polled(t0 + 43 * EVERY);
    const back = await engine.evaluate(t0 + 43 * EVERY);
    expect(back.backfilled).toEqual([siteId]);
    const instance = await db().alertInstance.findFirstOrThrow({ where: { node: "n1" } });
    const history = await db().alertEvent.findMany({
      where: { instanceId: instance.id },
      orderBy: { at: "asc" },
    });
    // The whole overheat happened while dark: in history, every step marked late.
    expect(history.map((h) => h.kind)).toEqual(["pending", "firing", "clearing", "resolved"]);
    expect(history.every((h) => h.reportedLateMs > 60_000)).toBe(true);
    expect(history[1]?.at.getTime()).toBeGreaterThanOrEqual(outageStart + 2 * 60 * S);
    expect(history[1]?.at.getTime()).toBeLessThan(outageStart + 3 * 60 * S);
    // Over before anyone could act: history only, nothing announced.
    expect(back.deliveries).toEqual([]);
    expect(instance.phase).toBe("normal");
    expect(await db().alertSiteQuiet.count()).toBe(0);
  });

  it("a point that reaches InfluxDB seconds after its event time still counts (the window trails the clock)", async () => {
    const rule = await createRule(
      { name: "Flushed late", kind: "temperature", forSeconds: 0, contactPointIds: [contactPointId] },
      "test",
    );
    await db().alertInstance.deleteMany();
    const t0 = BASE + 90 * 60 * S;
    // Telegraf-like: every point lands 4 s after its event time, while the evaluator runs every 2 s.
    const engine = new AlertEngine({ ...deps(), intervalMs: 2 * S, ingestDelayMs: 10 * S });
    await write(
      Array.from({ length: 7 }, (_, k) => ({ host: "n1", value: 60, at: t0 - 30 * S + k * 5 * S })),
    );
    const seen: number[] = [];
    for (let now = t0 + 2 * S; now <= t0 + 30 * S; now += 2 * S) {
      // The one hot point (event time t0 + 5 s) is written only once the clock is 4 s past it.
      if (now === t0 + 10 * S) await write([{ host: "n1", value: 91, at: t0 + 5 * S }]);
      await polled(now);
      await engine.evaluate(now);
      const fired = await db().alertInstance.findFirst({ where: { ruleId: rule.id, node: "n1" } });
      if (fired?.phase === "firing" && seen.length === 0) seen.push(now - t0);
    }
    const instance = await db().alertInstance.findFirstOrThrow({ where: { ruleId: rule.id, node: "n1" } });
    const history = await db().alertEvent.findMany({ where: { instanceId: instance.id } });
    // Fired, in event time: within the window that holds t0 + 5 s, read once the delay passed.
    expect(history.map((h) => h.kind)).toContain("firing");
    expect(seen[0]).toBeGreaterThanOrEqual(15 * S);
    expect(seen[0]).toBeLessThanOrEqual(17 * S);
  });

  it("an overheat still going on when the site returns is announced once, marked late", async () => {
    await createRule(
      {
        name: "Still hot",
        kind: "temperature",
        forSeconds: 30,
        groupWaitSeconds: 30,
        contactPointIds: [contactPointId],
      },
      "test",
    );
    await db().alertInstance.deleteMany();
    const t0 = BASE + 60 * 60 * S;
    const engine = new AlertEngine(deps());
    await write(
      Array.from({ length: 13 }, (_, k) => ({ host: "n2", value: 60, at: t0 - 60 * S + k * 5 * S })),
    );
    for (let i = 0; i <= 20; i++) {
      await polled(t0 + i * EVERY);
      await engine.evaluate(t0 + i * EVERY);
    }
    const buffered = [];
    for (let t = t0 + 5 * S; t <= t0 + 21 * EVERY; t += 5 * S)
      buffered.push({ host: "n2", value: t > t0 + 2 * 60 * S ? 95 : 60, at: t });
    await write(buffered);
    await polled(t0 + 21 * EVERY);
    const back = await engine.evaluate(t0 + 21 * EVERY);
    expect(back.deliveries).toHaveLength(1);
    const sent = (await deliveries()).at(-1)?.body;
    expect(sent).toMatchObject({ reason: "late", status: "firing" });
    expect(sent?.alerts[0]).toMatchObject({ node: "n2", reportedLate: true });
    expect(sent?.alerts[0]?.reportedLateMs).toBeGreaterThan(60_000);
    // Later evaluations do not repeat it.
    await write([{ host: "n2", value: 95, at: t0 + 22 * EVERY }]);
    await polled(t0 + 22 * EVERY);
    expect((await engine.evaluate(t0 + 22 * EVERY)).deliveries).toEqual([]);
  });
});
