// The outbox pattern end to end, across real processes and a real HTTP
// receiver: a delivery job per effect, the job key as Idempotency-Key, the
// receiver dedups by it. kill -9 at either dangerous point loses nothing and
// produces no second accepted delivery. Alerts and deploy copy this pattern.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { spawnWorkProcess, type WorkProcess } from "@/lib/testing/work-process";
import { enqueue } from "./jobs";

/** A webhook receiver that accepts each Idempotency-Key once and answers duplicates with 200. */
class DedupReceiver {
  readonly accepted: string[] = [];
  readonly duplicates: string[] = [];
  private readonly server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const key = String(req.headers["idempotency-key"] ?? "");
        if (!key || !body) {
          res.writeHead(400).end();
          return;
        }
        if (this.accepted.includes(key)) {
          this.duplicates.push(key);
          res.writeHead(200, { "content-type": "application/json" }).end('{"duplicate":true}');
          return;
        }
        this.accepted.push(key);
        res.writeHead(201, { "content-type": "application/json" }).end('{"accepted":true}');
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let dataDir: string;
let cleanup: () => Promise<void>;
let receiver: DedupReceiver;
const children: WorkProcess[] = [];
let crashBeforeSend: WorkProcess;
let crashAfterSend: WorkProcess;
let survivor: WorkProcess;

const LEASE_MS = 1_500;

beforeAll(async () => {
  const tmp = await useTempDataDir();
  dataDir = tmp.dir;
  cleanup = tmp.cleanup;
  await db().workJob.count();
  receiver = new DedupReceiver();
  await receiver.start();
  const procs = await Promise.all([0, 1, 2].map(() => spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir })));
  children.push(...procs);
  [crashBeforeSend, crashAfterSend, survivor] = procs as [WorkProcess, WorkProcess, WorkProcess];
});
afterAll(async () => {
  for (const c of children) {
    c.kill("SIGKILL");
    await c.exited;
  }
  await receiver.stop();
  await cleanup();
});

/** The state change and its effect's outbox row commit together (here: an audit row stands for the state). */
async function changeStateWithEffect(queue: string, key: string): Promise<void> {
  await transaction(async (tx) => {
    await tx.auditEvent.create({ data: { actorName: "test", action: `state:${key}`, result: "ok" } });
    await enqueue(tx, { queue, key, payload: { message: `effect of ${key}` } });
  });
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const allSucceeded = async (queue: string, n: number) =>
  (await db().workJob.count({ where: { queue, state: "succeeded" } })) === n;

describe("outbox delivery with kill -9", () => {
  it("killed before sending: the effect is delivered once, by the next worker, after the lease", async () => {
    const queue = "hook-before";
    const keys = ["e1", "e2", "e3"];
    for (const k of keys) await changeStateWithEffect(queue, k);
    await crashBeforeSend.call("deliver", {
      queue,
      url: receiver.url,
      crash: "before-send",
      leaseMs: LEASE_MS,
    });
    expect(await crashBeforeSend.exited).toBe("SIGKILL");
    const orphan = await db().workJob.findFirstOrThrow({ where: { queue, state: "running" } });
    expect(orphan.claimedBy).toBe(crashBeforeSend.owner);

    await survivor.call("deliver", { queue, url: receiver.url, leaseMs: LEASE_MS });
    await until(() => allSucceeded(queue, keys.length));
    const mine = (k: string) => k.startsWith(`${queue}:`);
    expect(receiver.accepted.filter(mine).sort()).toEqual(keys.map((k) => `${queue}:${k}`));
    expect(receiver.duplicates.filter(mine)).toEqual([]);
    const retaken = await db().workJob.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(retaken).toMatchObject({ state: "succeeded", attempt: 2, epoch: 2, claimedBy: survivor.owner });
  });

  it("killed after the receiver accepted but before marking it sent: resent once, deduped, exactly one accepted", async () => {
    const queue = "hook-after";
    const keys = ["f1", "f2", "f3"];
    for (const k of keys) await changeStateWithEffect(queue, k);
    await crashAfterSend.call("deliver", {
      queue,
      url: receiver.url,
      crash: "after-send",
      leaseMs: LEASE_MS,
    });
    expect(await crashAfterSend.exited).toBe("SIGKILL");
    const mine = (k: string) => k.startsWith(`${queue}:`);
    expect(receiver.accepted.filter(mine)).toHaveLength(1);
    const [sentButUnmarked] = receiver.accepted.filter(mine);

    await survivor.call("deliver", { queue, url: receiver.url, leaseMs: LEASE_MS });
    await until(() => allSucceeded(queue, keys.length));
    expect(receiver.accepted.filter(mine).sort()).toEqual(keys.map((k) => `${queue}:${k}`));
    // the one repeat the receiver saw was the unmarked delivery, and it was not accepted twice
    expect(receiver.duplicates.filter(mine)).toEqual([sentButUnmarked]);
    expect(await db().auditEvent.count({ where: { action: { startsWith: "state:f" } } })).toBe(3);
  });
});
