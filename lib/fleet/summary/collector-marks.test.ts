import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyLinkRecord, type LinkRecord } from "@/lib/collector/contact-log";
import { type PollResult, writeResults } from "@/lib/collector/write";
import { db } from "@/lib/db/client";
import { nodeSnapshot } from "@/lib/health/test-fixtures";
import type { ClusterSnapshot } from "@/lib/health/types";
import { check, T0 } from "@/lib/testing/summary-checks";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { registerInstance } from "@/lib/work/instance";
import { ShardOwner, shardFence } from "@/lib/work/shards";
import { intervalMs } from "../health-input";
import { summaryBatchOps } from "./marks";

// The collector's real write path with the summary's marks: the marks commit in
// the same (fenced) transaction as the results, a link that turns slow or
// intermittent marks its site though the cluster answers the same, and a result
// the fence refuses marks nothing.

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

const snapshot = (at: number): ClusterSnapshot => ({
  observedAt: new Date(at).toISOString(),
  gitVersion: "v1.31.4+k3s1",
  platform: "linux/arm64",
  nodes: [
    nodeSnapshot("n0", {
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: null,
          message: null,
          lastHeartbeatTime: null,
          lastTransitionTime: null,
        },
      ],
    }),
  ],
  workloadProblems: [],
  warningEvents: [],
  partialErrors: [],
});

function link(outcomes: (number | null)[], since: Partial<LinkRecord> = {}): LinkRecord {
  return { ...emptyLinkRecord(), outcomes, isReachable: true, ...since };
}

const ok = (clusterId: string, at: number, l: LinkRecord): PollResult => ({
  clusterId,
  at,
  isOk: true,
  seenAt: at,
  snapshot: snapshot(T0),
  link: l,
  ops: [],
  serverCert: null,
});

async function site(slug: string): Promise<{ siteId: string; clusterId: string }> {
  const s = await db().site.create({ data: { slug, name: slug, kind: "store" } });
  const c = await db().cluster.create({
    data: {
      siteId: s.id,
      name: `${slug}-edge`,
      server: `https://${slug}.invalid:6443`,
      contextName: "default",
      authKind: "token",
      kubeconfigEnc: "unused",
    },
  });
  return { siteId: s.id, clusterId: c.id };
}

const version = async (siteId: string) =>
  (await db().siteSummary.findUnique({ where: { siteId } }))?.version ?? null;

describe("the collector's write marks the fleet summary", () => {
  it("in its fenced transaction: a link turning slow or intermittent marks the site, the same answer does not", async () => {
    await registerInstance({ role: "worker", services: ["marks-test"] }, { id: "marks-writer" });
    const owner = new ShardOwner({
      service: "marks-test",
      owner: "marks-writer",
      shardCount: 16,
      leaseMs: 60_000,
    });
    await owner.start();
    const fence = shardFence(owner);
    const ops = summaryBatchOps(intervalMs());
    const a = await site("marks-a");
    const b = await site("marks-b");
    const lease = (id: string) => {
      const l = fence.tokenFor(id);
      if (!l) throw new Error("one instance owns every shard");
      return l;
    };
    const write = (results: PollResult[]) =>
      writeResults(
        results.map((r) => ({ ...r, lease: lease(r.clusterId) })),
        fence,
        ops,
      );
    const fast = [40, 42, 38];
    let t = T0;
    await write([ok(a.clusterId, t, link(fast)), ok(b.clusterId, t, link(fast))]);
    await check(t);
    const before = { a: await version(a.siteId), b: await version(b.siteId) };

    // Same answer, link steady (only its latency moved): nothing to recompute.
    t += intervalMs();
    await write([ok(a.clusterId, t, link([42, 38, 51])), ok(b.clusterId, t, link([42, 38, 45]))]);
    expect(await version(a.siteId)).toBe(before.a);
    expect(await version(b.siteId)).toBe(before.b);
    await check(t);

    // a's requests now take seconds; b flaps: both marked, and both shown so once recomputed.
    t += intervalMs();
    await write([
      ok(a.clusterId, t, link([4_100, 4_200, 4_050], { slowSince: t - 30_000 })),
      ok(b.clusterId, t, link([40, null, 41, null, 39, null, 40], { flapSince: t - 60_000 })),
    ]);
    expect(await version(a.siteId)).not.toBe(before.a);
    expect(await version(b.siteId)).not.toBe(before.b);
    await check(t);
    const reasons = await db().siteSummary.findMany({ select: { siteId: true, reasons: true } });
    const codes = new Map(
      reasons.map((r) => [r.siteId, (JSON.parse(r.reasons) as { code: string }[]).map((x) => x.code)]),
    );
    expect(codes.get(a.siteId)).toContain("link-slow");
    expect(codes.get(b.siteId)).toContain("link-intermittent");

    // A result polled under a lease taken over since is refused: its mark does not commit either.
    const stale = lease(a.clusterId);
    await db().workLease.update({
      where: { name: stale.name },
      data: { owner: "other", epoch: { increment: 1 }, expiresAt: new Date(Date.now() + 60_000) },
    });
    const marked = await version(a.siteId);
    t += intervalMs();
    const outcome = await writeResults(
      [{ ...ok(a.clusterId, t, link([40, 41, 40])), lease: stale }],
      fence,
      ops,
    );
    expect(outcome.refused).toHaveLength(1);
    expect(await version(a.siteId)).toBe(marked);
    await owner.stop();
  }, 60_000);
});
