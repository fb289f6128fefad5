import "server-only";
import { db, type Tx, transaction } from "@/lib/db/client";
import { enqueue } from "@/lib/work/jobs";
import { fenced, type Lease } from "@/lib/work/lease";
import { wakeQueue } from "@/lib/work/runner";
import { decide, type EngineTarget } from "./engine";
import { clusterFacts } from "./facts";
import {
  casRollout,
  casTarget,
  rolloutSelect,
  targetSelect,
  toEngineRollout,
  toEngineTarget,
} from "./rollout-rows";
import { QUEUES } from "./settings";
import { STARTABLE_STATES } from "./target-state";

// The rollout engine's tick (a singleton: one process at a time): for every
// running or paused rollout, load its targets and the facts about their
// clusters, let the pure engine decide, and write the decision in one fenced
// transaction — targets compare-and-set, jobs enqueued by idempotency key. A
// tick repeated after a crash decides the same and adds nothing.

export interface TickResult {
  rollouts: number;
  changedTargets: number;
  jobs: number;
}

export async function tickRollouts(lease: Lease | null, now = Date.now()): Promise<TickResult> {
  const rollouts = await db().rollout.findMany({
    where: { state: { in: ["running", "paused"] } },
    select: rolloutSelect,
  });
  const result: TickResult = { rollouts: rollouts.length, changedTargets: 0, jobs: 0 };
  const woken = new Set<string>();
  for (const row of rollouts) {
    const rollout = toEngineRollout(row);
    const rows = await db().rolloutTarget.findMany({ where: { rolloutId: row.id }, select: targetSelect });
    const targets = rows.map(toEngineTarget);
    const needFacts = targets
      .filter((t) => t.wave <= rollout.currentWave && STARTABLE_STATES.has(t.state))
      .map((t) => t.clusterId);
    const facts = await clusterFacts(needFacts, now);
    const decision = decide(rollout, targets, (id) => facts.get(id), now);
    if (decision.targets.length === 0 && decision.jobs.length === 0 && !decision.rollout) continue;
    const versions = new Map(targets.map((t) => [t.id, t.version]));
    const write = async (tx: Tx) => {
      // The decision holds only for the rollout as it was read: if an operator paused or aborted it
      // in between, start nothing and decide again next tick. Without a rollout change the same
      // version is written back, which still takes the row's lock (no pause can slip in before commit).
      const isCurrent = decision.rollout
        ? await casRollout(tx, row.id, row.version, rollout, decision.rollout, now)
        : (
            await tx.rollout.updateMany({
              where: { id: row.id, version: row.version },
              data: { version: row.version },
            })
          ).count === 1;
      if (!isCurrent) return { targets: 0, jobs: 0, queues: [] as string[] };
      const written = new Set<string>();
      for (const t of decision.targets as EngineTarget[]) {
        if (await casTarget(tx, versions.get(t.id) ?? -1, t)) written.add(t.id);
      }
      const queues: string[] = [];
      let jobs = 0;
      for (const j of decision.jobs) {
        // A start whose target write lost the race is not started; checks need no target write.
        if (j.phase === "apply" && !written.has(j.targetId)) continue;
        const queue = j.phase === "apply" ? QUEUES.apply : QUEUES.check;
        const { isNew } = await enqueue(
          tx,
          {
            queue,
            key: j.key,
            payload: { targetId: j.targetId, ref: j.ref },
            runAt: new Date(j.runAt),
            maxAttempts: 5,
          },
          { now },
        );
        if (isNew) {
          jobs++;
          queues.push(queue);
        }
      }
      for (const message of decision.events)
        await tx.rolloutEvent.create({ data: { rolloutId: row.id, message, at: new Date(now) } });
      return { targets: written.size, jobs, queues };
    };
    const done = lease ? await fenced(lease, write) : await transaction(write);
    result.changedTargets += done.targets;
    result.jobs += done.jobs;
    for (const q of done.queues) woken.add(q);
  }
  for (const q of woken) wakeQueue(q);
  return result;
}
