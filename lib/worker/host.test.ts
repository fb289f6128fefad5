import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env, resetEnvForTests } from "@/lib/env";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { instanceId } from "@/lib/work/instance";
import { exclusiveService, type WorkerContext, type WorkerService } from "@/lib/work/service";
import { startWorkerHost } from "./host";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

function recordingService(name: string, log: string[]): WorkerService {
  return {
    name,
    start(ctx) {
      log.push(`start ${name} ${ctx.role}`);
      return {
        async stop() {
          log.push(`stop ${name}`);
        },
      };
    },
  };
}

describe("worker host", () => {
  it("starts services in order, skips one that fails, heartbeats, and stops them in reverse", async () => {
    const log: string[] = [];
    const broken: WorkerService = {
      name: "broken",
      start() {
        throw new Error("cannot start");
      },
    };
    const host = await startWorkerHost({
      services: [recordingService("one", log), broken, recordingService("two", log)],
      role: "worker",
      heartbeatMs: 50,
    });
    expect(host.instanceId).toBe(instanceId());
    expect(host.services).toEqual(["one", "two"]);
    const row = await db().workerInstance.findUniqueOrThrow({ where: { id: host.instanceId } });
    expect(row).toMatchObject({ role: "worker", pid: process.pid, stoppedAt: null });
    // listed once started: the broken one never counts as running
    expect(JSON.parse(row.services)).toEqual(["one", "two"]);
    const firstBeat = row.heartbeatAt.getTime();
    const deadline = Date.now() + 10_000;
    while (
      (
        await db().workerInstance.findUniqueOrThrow({ where: { id: host.instanceId } })
      ).heartbeatAt.getTime() === firstBeat
    ) {
      if (Date.now() > deadline) throw new Error("no heartbeat");
      await new Promise((r) => setTimeout(r, 20));
    }
    await host.stop();
    expect(log).toEqual(["start one worker", "start two worker", "stop two", "stop one"]);
    expect(
      (await db().workerInstance.findUniqueOrThrow({ where: { id: host.instanceId } })).stoppedAt,
    ).not.toBeNull();
  });

  it("a web-only instance registers itself but starts no service", async () => {
    const log: string[] = [];
    const host = await startWorkerHost({ services: [recordingService("one", log)], role: "web" });
    expect(host.services).toEqual([]);
    expect(log).toEqual([]);
    // it lists no service, so shard owners do not count it as a live collector
    const row = await db().workerInstance.findUniqueOrThrow({ where: { id: host.instanceId } });
    expect(row).toMatchObject({ role: "web", services: "[]" });
    await host.stop();
  });

  it("an exclusive service runs in one instance at a time and moves when that one stops", async () => {
    const log: string[] = [];
    const leases: { owner: string; epoch: number }[] = [];
    const service = exclusiveService({
      name: "only-one",
      leaseMs: 5_000,
      async start(ctx, lease) {
        log.push(`start ${ctx.instanceId}`);
        leases.push({ owner: lease.owner, epoch: lease.epoch });
        return {
          async stop() {
            log.push(`stop ${ctx.instanceId}`);
          },
        };
      },
    });
    const ctx = (id: string): WorkerContext => ({
      instanceId: id,
      role: "worker",
      signal: new AbortController().signal,
    });
    const first = await service.start(ctx("i1"));
    const until = async (entry: string) => {
      const deadline = Date.now() + 15_000;
      while (!log.includes(entry)) {
        if (Date.now() > deadline) throw new Error(`never saw ${entry}: ${log.join(", ")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until("start i1");
    const second = await service.start(ctx("i2"));
    await first.stop();
    await until("start i2");
    await second.stop();
    expect(log).toEqual(["start i1", "stop i1", "start i2", "stop i2"]);
    // each start gets the lease it runs under, the takeover at a higher epoch (for fenced writes)
    expect(leases).toEqual([
      { owner: "i1", epoch: 1 },
      { owner: "i2", epoch: 2 },
    ]);
  });
});

describe("worker mode", () => {
  const withEnv = (vars: Record<string, string | undefined>) => {
    const saved = {
      OUTPOST_WORKER: process.env.OUTPOST_WORKER,
      OUTPOST_COLLECTOR: process.env.OUTPOST_COLLECTOR,
    };
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      resetEnvForTests();
      return env().workerMode;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvForTests();
    }
  };
  it("defaults to embedded, takes OUTPOST_WORKER, accepts the old OUTPOST_COLLECTOR, and OUTPOST_WORKER wins", () => {
    expect(withEnv({ OUTPOST_WORKER: undefined, OUTPOST_COLLECTOR: undefined })).toBe("embedded");
    expect(withEnv({ OUTPOST_WORKER: "off", OUTPOST_COLLECTOR: undefined })).toBe("off");
    expect(withEnv({ OUTPOST_WORKER: undefined, OUTPOST_COLLECTOR: "off" })).toBe("off");
    expect(withEnv({ OUTPOST_WORKER: "embedded", OUTPOST_COLLECTOR: "off" })).toBe("embedded");
    expect(withEnv({ OUTPOST_WORKER: "inline", OUTPOST_COLLECTOR: undefined })).toBe("inline");
  });
  it("refuses a value it does not know", () => {
    expect(() => withEnv({ OUTPOST_WORKER: "sometimes" })).toThrow(/OUTPOST_WORKER/);
  });
});
