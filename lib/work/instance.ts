import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { type DbClient, db } from "@/lib/db/client";

// Every Outpost process has an instance id; it is the owner of the leases and
// job claims the process takes, and its row in "WorkerInstance" carries a
// heartbeat (for shard balancing and the ops view).

const globalForInstance = globalThis as unknown as { outpostInstanceId?: string };

/** This process's id: hostname, pid and a random suffix (pids are reused; ids never are). */
export function instanceId(): string {
  globalForInstance.outpostInstanceId ??= `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  return globalForInstance.outpostInstanceId;
}

/**
 * Processes whose pids are comparable with ours: the same host name *and* the
 * same pid namespace (two containers may share a host name but not pids).
 */
function hostKey(): string {
  let pidNamespace = "";
  try {
    pidNamespace = fs.readlinkSync("/proc/self/ns/pid");
  } catch {
    // not Linux: the host name alone
  }
  return `${os.hostname()}|${pidNamespace}`;
}

export interface InstanceInfo {
  role: "web" | "worker" | "web+worker";
  services: string[];
}

export async function registerInstance(
  info: InstanceInfo,
  { now = Date.now(), id = instanceId() }: { now?: number; id?: string } = {},
  client: DbClient = db(),
): Promise<void> {
  const at = new Date(now);
  const data = {
    hostname: hostKey(),
    pid: process.pid,
    role: info.role,
    services: JSON.stringify(info.services),
    heartbeatAt: at,
    stoppedAt: null,
  };
  await client.workerInstance.upsert({ where: { id }, create: { id, startedAt: at, ...data }, update: data });
}

export async function heartbeatInstance(
  { now = Date.now(), id = instanceId() }: { now?: number; id?: string } = {},
  client: DbClient = db(),
): Promise<void> {
  await client.workerInstance.updateMany({ where: { id }, data: { heartbeatAt: new Date(now) } });
}

/** The services this instance runs now (listed once each has started, so a peer never counts on one still starting). */
export async function setInstanceServices(
  services: string[],
  { id = instanceId() }: { id?: string } = {},
  client: DbClient = db(),
): Promise<void> {
  await client.workerInstance.updateMany({ where: { id }, data: { services: JSON.stringify(services) } });
}

export async function markInstanceStopped(
  { now = Date.now(), id = instanceId() }: { now?: number; id?: string } = {},
  client: DbClient = db(),
): Promise<void> {
  await client.workerInstance.updateMany({ where: { id }, data: { stoppedAt: new Date(now) } });
}

/** Instances that have not stopped and sent a heartbeat within `withinMs`. */
export async function liveInstances(withinMs: number, { now = Date.now() }: { now?: number } = {}) {
  return db().workerInstance.findMany({
    where: { stoppedAt: null, heartbeatAt: { gte: new Date(now - withinMs) } },
    orderBy: { id: "asc" },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A process of this host that died without stopping (kill -9, crash) still
 * holds leases until they expire. At start-up we know better: its pid is gone,
 * so its leases and claims are expired now instead of a lease period later.
 * Fencing keeps this safe even if the guess were wrong.
 */
export async function reapDeadLocalInstances({ now = Date.now() }: { now?: number } = {}): Promise<string[]> {
  const self = instanceId();
  const candidates = await db().workerInstance.findMany({
    where: { hostname: hostKey(), stoppedAt: null, NOT: { id: self } },
    select: { id: true, pid: true },
  });
  const dead = candidates.filter((c) => c.pid !== process.pid && !isAlive(c.pid)).map((c) => c.id);
  if (dead.length === 0) return [];
  await expireInstances(dead, { now });
  return dead;
}

/**
 * Instances known to be gone (a dead pid, a worker thread that exited): marked
 * stopped, their leases and job claims expired now, so peers take over at once.
 */
export async function expireInstances(
  ids: string[],
  { now = Date.now() }: { now?: number } = {},
): Promise<void> {
  const at = new Date(now);
  await db().$transaction([
    db().workerInstance.updateMany({ where: { id: { in: ids } }, data: { stoppedAt: at } }),
    db().workLease.updateMany({
      where: { owner: { in: ids }, expiresAt: { gt: at } },
      data: { expiresAt: at },
    }),
    db().workJob.updateMany({
      where: { claimedBy: { in: ids }, state: "running", leaseExpiresAt: { gt: at } },
      data: { leaseExpiresAt: at },
    }),
  ]);
}
