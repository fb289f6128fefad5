import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { until } from "@/lib/testing/until";
import { instanceId } from "@/lib/work/instance";
import { startWorkerThread } from "./thread";

const FIXTURE = path.resolve("lib/testing/worker-thread/fixture.mjs");
const FAST_RESTARTS = { baseMs: 50, maxMs: 50, jitter: 0 };

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await useTempDataDir());
});
afterAll(() => cleanup());

/** Runs `fn` with fixture settings in the environment the next thread inherits. */
async function withFixture<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(vars)) delete process.env[k];
  }
}

const startsIn = (file: string) =>
  fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").length : 0;

describe("the web server's worker thread", () => {
  it("runs the real worker host in a thread of this process, as its own instance, and stops it", async () => {
    const host = await startWorkerThread();
    try {
      expect(host.services).toEqual(expect.arrayContaining(["collector", "telemetry-tick", "deploy"]));
      // its own module realm, so its own instance id: a restarted thread never inherits claims
      expect(host.instanceId).not.toBe(instanceId());
      const row = await db().workerInstance.findUniqueOrThrow({ where: { id: host.instanceId } });
      expect(row).toMatchObject({ role: "web+worker", pid: process.pid, stoppedAt: null });
      expect(JSON.parse(row.services)).toEqual(host.services);
    } finally {
      const id = host.instanceId;
      await host.stop();
      const stopped = await db().workerInstance.findUniqueOrThrow({ where: { id } });
      expect(stopped.stoppedAt).not.toBeNull();
    }
    expect(host.services).toEqual([]);
  }, 60_000);

  it("starts a thread that died again and expires the dead one's leases at once", async () => {
    const starts = path.join(dir, "crash-starts");
    const instance = "fixture-crash";
    const future = new Date(Date.now() + 10 * 60_000);
    await db().workLease.create({
      data: {
        name: "fixture-lease",
        owner: `${instance}#1`,
        epoch: 1,
        acquiredAt: new Date(),
        renewedAt: new Date(),
        expiresAt: future,
      },
    });
    await db().workerInstance.create({
      data: {
        id: `${instance}#1`,
        hostname: "h",
        pid: process.pid,
        role: "web+worker",
        startedAt: new Date(),
        heartbeatAt: new Date(),
      },
    });
    // the restarted thread inherits the environment again: it stays set for the whole test
    await withFixture(
      { FIXTURE_MODE: "crash", FIXTURE_STARTS: starts, FIXTURE_INSTANCE: instance },
      async () => {
        // Restarts every 50 ms: the wait after stop() below spans many restart delays, so a restart
        // that stop() failed to cancel would show.
        const host = await startWorkerThread({ entry: FIXTURE, backoff: FAST_RESTARTS });
        try {
          await until(() => startsIn(starts) >= 2 || false, { what: "the crashed thread started again" });
          const lease = await until(
            async () => {
              const l = await db().workLease.findUniqueOrThrow({ where: { name: "fixture-lease" } });
              return l.expiresAt < future ? l : false;
            },
            { what: "the dead thread's lease expired" },
          );
          expect(lease.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
          const row = await db().workerInstance.findUniqueOrThrow({ where: { id: `${instance}#1` } });
          expect(row.stoppedAt).not.toBeNull();
        } finally {
          await host.stop();
        }
        // stopped means stopped: no restart after stop()
        const after = startsIn(starts);
        await new Promise((r) => setTimeout(r, 1_500));
        expect(startsIn(starts)).toBe(after);
      },
    );
  }, 60_000);

  it("terminates a thread that does not stop in time, and does not start it again", async () => {
    const starts = path.join(dir, "deaf-starts");
    const host = await withFixture(
      { FIXTURE_MODE: "deaf", FIXTURE_STARTS: starts, FIXTURE_INSTANCE: "fixture-deaf" },
      () => startWorkerThread({ entry: FIXTURE, stopTimeoutMs: 200 }),
    );
    expect(host.instanceId).toBe("fixture-deaf#1");
    expect(host.services).toEqual(["fixture"]);
    const t0 = Date.now();
    await host.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(host.instanceId).toBe("");
    expect(startsIn(starts)).toBe(1);
  });
});
