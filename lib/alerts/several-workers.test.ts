// No alert notification lost or sent twice across a worker failover (issue 12,
// "Proof"): real `npm run worker` processes on one PostgreSQL, a real TLS
// simulator they collect from, its telemetry in a real InfluxDB, a temperature
// rule that fires on a simulated hot node and a real HTTP webhook receiver that
// counts every message by idempotency key and by content.
//
// The worst moments cannot be hit by timing from outside, so the test arms a
// failpoint (lib/alerts/failpoints.ts): the first worker to reach it stops
// itself there (SIGSTOP), whichever of them holds the evaluator lease or the
// delivery's claim at that moment. The test then kill -9s it, or resumes it
// (SIGCONT) after its lease ran out. PostgreSQL only: SQLite installs run one
// process (the same code paths are proven there by lib/alerts/delivery.test.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { generateFleet, telemetryNodes } from "@/lib/simulator/fleet";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { createDataSource } from "@/lib/telemetry/data-sources";
import { contentOf, WebhookReceiver } from "@/lib/testing/alerts-fixtures";
import { startTelemetryFleet, type TelemetryFleet } from "@/lib/testing/telemetry-fleet";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { testDatabaseDialect } from "@/lib/testing/test-database";
import { until as waitUntil } from "@/lib/testing/until";
import { killWorkers, spawnWorker, type WorkerProcess } from "@/lib/testing/worker-process";
import { createContactPoint } from "./contact-points";
import type { FailpointName } from "./failpoints";
import type { Notification } from "./payload";
import { createRule } from "./rules-store";

/**
 * the evaluator's lease and each delivery's claim: what a failover waits for. Short for CI, but a live
 * worker must stall for two thirds of it before it loses a claim: on a loaded machine 3 s did not hold.
 */
const LEASE_S = 5;
const SAMPLE_MS = 1_000;
/** far above any healthy board (hot ones idle at ≤ 78 °C); the fault adds 60 °C to 42 °C or more */
const LEVEL_C = 95;
const OVERHEAT_C = 60;
const WAIT_MS = 40_000;

const isPostgres = testDatabaseDialect() === "postgresql";

let tmp: Awaited<ReturnType<typeof useTempDataDir>>;
let sim: SimulatorHandle;
let telemetry: TelemetryFleet;
let receiver: WebhookReceiver;
let simDir = "";
let failpointsDir = "";
let hot: { site: string; cluster: string; node: string };
let ruleId = "";
/** the overheating fault on the hot node, while there is one */
let fault: string | null = null;
const workers: WorkerProcess[] = [];
/** the replacement for the first victim, started while the survivors take over */
let joining: Promise<unknown> = Promise.resolve();
/** how long each failover took until the receiver had the message (printed, not asserted) */
const timings: Record<string, number> = {};

/** a condition the failover must reach; generous: a loaded machine delays child processes and their timers */
const until = <T>(probe: () => Promise<T | false> | T | false, what: string) =>
  waitUntil(probe, { timeoutMs: WAIT_MS, what });

function startWorker(): WorkerProcess {
  const w = spawnWorker({
    OUTPOST_DATA_DIR: tmp.dir,
    DATABASE_URL: tmp.databaseUrl,
    OUTPOST_ALLOW_LOOPBACK: "1",
    OUTPOST_POLL_INTERVAL_SECONDS: "1",
    OUTPOST_COLLECTOR_LEASE_SECONDS: String(LEASE_S),
    OUTPOST_TELEMETRY_TICK_SECONDS: "1",
    OUTPOST_ALERTS_INTERVAL_SECONDS: "1",
    OUTPOST_ALERTS_LEASE_SECONDS: String(LEASE_S),
    OUTPOST_ALERTS_RETRY_BASE_MS: "200",
    OUTPOST_ALERTS_RETRY_MAX_MS: "1000",
    OUTPOST_FAILPOINTS_DIR: failpointsDir,
  });
  workers.push(w);
  return w;
}

const started = (w: WorkerProcess) => w.waitForLog((l) => l.msg === "worker host started", 90_000);
const isAlive = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;

/** Arms `name` and resolves with the worker that stopped there. */
async function stopAt(name: FailpointName): Promise<WorkerProcess> {
  fs.writeFileSync(path.join(failpointsDir, name), "");
  return Promise.any(
    workers
      .filter(isAlive)
      .map((w) =>
        w.waitForLog((l) => l.msg === "failpoint reached" && l.failpoint === name, WAIT_MS).then(() => w),
      ),
  );
}

function overheat(): void {
  fault = sim.faults.add({ type: "overheating", ...hot, params: { celsius: OVERHEAT_C } }).id;
}

function coolDown(): void {
  if (fault) sim.faults.remove(fault);
  fault = null;
}

/** Requests whose content announces the hot node `status` (firing/resolved), in arrival order. */
function announcing(status: Notification["status"]) {
  return receiver.requests.filter((r) => r.content.includes(`|${status}|`));
}

async function deliveryStates(): Promise<string[]> {
  return (await db().alertDelivery.findMany({ select: { state: true } })).map((d) => d.state);
}

describe.skipIf(!isPostgres)("alert notifications across worker failovers (PostgreSQL)", () => {
  beforeAll(async () => {
    tmp = await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" });
    simDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-alerts-failover-sim-"));
    failpointsDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-failpoints-"));
    const fleet = generateFleet({ sites: 2, seed: 12, kinds: ["store"] });
    const site = fleet.sites[0];
    const cluster = site?.clusters[0];
    const node = cluster?.nodes[0];
    if (!site || !cluster || !node) throw new Error("fleet");
    hot = { site: site.slug, cluster: cluster.name, node: node.name };
    sim = await startSimulator({
      fleet,
      outDir: simDir,
      sharedListeners: 1,
      dedicatedPorts: "none",
      isScheduleEnabled: false,
    });
    telemetry = await startTelemetryFleet({
      nodes: telemetryNodes(fleet),
      faults: sim.faults,
      intervalMs: SAMPLE_MS,
      historyMs: 60_000,
    });
    const results = await importFleet(readFleetDirectory(simDir).items);
    expect(results.filter((r) => r.status !== "created")).toEqual([]);
    await createDataSource({
      name: "Telemetry",
      url: telemetry.influx.url,
      database: telemetry.database,
      mapping: { sampleSeconds: SAMPLE_MS / 1000 },
    });
    receiver = new WebhookReceiver();
    await receiver.start();
    const cp = await createContactPoint({ name: "receiver", kind: "webhook", url: receiver.url });
    receiver.secret = cp.secret;
    const hotSite = await db().site.findUniqueOrThrow({ where: { slug: hot.site }, select: { id: true } });
    const rule = await createRule(
      {
        name: "Board temperature",
        kind: "temperature",
        scope: { siteKinds: [], siteIds: [hotSite.id], labels: {} },
        warnCelsius: LEVEL_C,
        clearMargin: 5,
        forSeconds: 0,
        clearForSeconds: 0,
        groupWaitSeconds: 0,
        groupIntervalSeconds: 1,
        contactPointIds: [cp.contactPoint.id],
      },
      "test",
    );
    ruleId = rule.id;
    await Promise.all([startWorker(), startWorker(), startWorker()].map(started));
  }, 180_000);

  afterAll(async () => {
    await killWorkers(workers);
    await telemetry?.stop();
    await sim?.stop();
    await receiver?.stop();
    await tmp?.cleanup();
    for (const dir of [simDir, failpointsDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("kill -9 after the alert state and its outbox row committed, before anything was sent: a survivor sends it once", async () => {
    const stopping = stopAt("alerts.evaluate.after-commit");
    overheat();
    const victim = await stopping;
    // What the victim committed before it stopped: the firing instance and its delivery.
    expect(await db().alertInstance.count({ where: { ruleId, phase: "firing" } })).toBe(1);
    expect(await deliveryStates()).toHaveLength(1);
    victim.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.exited;
    // A replacement joins while the survivors take over (the SIGSTOP cases need two live workers).
    joining = started(startWorker());
    await until(() => announcing("firing").length > 0 || false, "firing announced");
    timings.killedAfterCommitToSentMs = Date.now() - killedAt;
    await until(async () => (await deliveryStates()).every((s) => s === "delivered") || false, "delivered");
    expect(announcing("firing").map((r) => r.status)).toEqual([202]);
  }, 90_000);

  it("kill -9 after the receiver answered, before the outbox row was marked: sent again with the same key, accepted once", async () => {
    const stopping = stopAt("alerts.deliver.after-send");
    coolDown();
    const victim = await stopping;
    const [first] = announcing("resolved");
    expect(first?.status).toBe(202);
    const sent = await db().alertDelivery.findUniqueOrThrow({ where: { id: first?.key ?? "" } });
    victim.kill("SIGKILL");
    const killedAt = Date.now();
    await victim.exited;
    await until(
      async () =>
        (await db().alertDelivery.findUniqueOrThrow({ where: { id: sent.id } })).state === "delivered" ||
        false,
      "re-sent and recorded",
    );
    timings.killedAfterSendToRecordedMs = Date.now() - killedAt;
    // Two requests with one key and one content; the receiver took the first and dropped the second.
    expect(announcing("resolved").map((r) => [r.key, r.status])).toEqual([
      [sent.id, 202],
      [sent.id, 200],
    ]);
    // The victim's send was never recorded: the only attempt on record is the survivor's, on the second claim.
    const attempts = await db().alertDeliveryAttempt.findMany({ where: { deliveryId: sent.id } });
    expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[2, 200]]);
  }, 90_000);

  it("the evaluator paused past its lease (SIGSTOP) before writing, then resumed: its writes are refused, nothing is announced twice", async () => {
    await joining;
    const stopping = stopAt("alerts.evaluate.before-write");
    overheat();
    const paused = await stopping;
    const pausedAt = Date.now();
    // Another worker takes the lease over, records the same change and announces it.
    await until(
      () => announcing("firing").length === 2 || false,
      "second firing announced by another worker",
    );
    timings.pausedEvaluatorToSentByAnotherMs = Date.now() - pausedAt;
    paused.kill("SIGCONT");
    await paused.waitForLog((l) => l.msg === "alerts evaluation refused by the lease fence", WAIT_MS);
    await until(async () => (await deliveryStates()).every((s) => s === "delivered") || false, "delivered");
    expect(await deliveryStates()).toHaveLength(3);
    expect(announcing("firing")).toHaveLength(2);
  }, 90_000);

  it("the dispatcher paused past its claim (SIGSTOP) before sending, then resumed: it does not send what its successor sent", async () => {
    const stopping = stopAt("alerts.deliver.before-send");
    coolDown();
    const paused = await stopping;
    const pausedAt = Date.now();
    await until(() => announcing("resolved").length === 3 || false, "resolution sent by another worker");
    const sentAt = Date.now();
    await until(async () => (await deliveryStates()).every((s) => s === "delivered") || false, "delivered");
    timings.pausedDispatcherToSentByAnotherMs = sentAt - pausedAt;
    paused.kill("SIGCONT");
    // logged where the claim check refused, before any request could leave (or: the duplicate arrives)
    const refusal = (l: { msg?: string }) => l.msg === "alert delivery not sent: its claim was taken over";
    await until(
      () => paused.logs.some(refusal) || announcing("resolved").length > 3 || false,
      "the resumed dispatcher refuses (or sends)",
    );
    expect(announcing("resolved")).toHaveLength(3);
    expect(paused.logs.some(refusal)).toBe(true);

    // Over all four failovers: every change arrived, each key and each content accepted exactly once.
    const accepted = receiver.requests.filter((r) => r.status === 202);
    expect(accepted).toHaveLength(4);
    expect(new Set(accepted.map((r) => r.key)).size).toBe(4);
    expect(new Set(accepted.map((r) => r.content)).size).toBe(4);
    expect(receiver.accepted.map((a) => a.body.status)).toEqual(["firing", "resolved", "firing", "resolved"]);
    const perContent = new Map<string, number>();
    for (const r of receiver.requests) perContent.set(r.content, (perContent.get(r.content) ?? 0) + 1);
    expect([...perContent.values()].sort()).toEqual([1, 1, 1, 2]);
    expect(new Set(receiver.accepted.map((a) => contentOf(a.body))).size).toBe(4);
    expect(new Set(receiver.accepted.map((a) => a.body.alerts[0]?.startsAt)).size).toBe(2);
    expect(receiver.accepted.map((a) => a.body.alerts[0]?.node)).toEqual(Array(4).fill(hot.node));
    // one delivery row per change, all delivered; the only repeated key is the one of the kill after sending
    expect(await deliveryStates()).toEqual(["delivered", "delivered", "delivered", "delivered"]);
    const perKey = new Map<string, number>();
    for (const r of receiver.requests) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    expect([...perKey.values()].sort()).toEqual([1, 1, 1, 2]);
  }, 90_000);
  it("the evaluator paused inside its write transaction: the database ends that transaction, so the lease it locked is taken over", async () => {
    const before = announcing("firing").length;
    const stopping = stopAt("alerts.evaluate.in-write");
    overheat();
    const paused = await stopping;
    const pausedAt = Date.now();
    // Its open transaction holds the lease row locked: a takeover waits until PostgreSQL ends that session.
    await until(
      () => announcing("firing").length === before + 1 || false,
      "firing announced by another worker while the paused one holds a transaction",
    );
    timings.pausedInTransactionToSentByAnotherMs = Date.now() - pausedAt;
    console.log("alerts failover", timings);
    paused.kill("SIGCONT");
    await until(async () => (await deliveryStates()).every((s) => s === "delivered") || false, "delivered");
    expect(announcing("firing")).toHaveLength(before + 1);
    coolDown();
  }, 90_000);
});
