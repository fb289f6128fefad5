// Pure rules of sharded work (collection today): which shard an item belongs
// to, how many shards each live instance should own, and what one instance
// does on its next tick to get there. No I/O, no clock.

/** FNV-1a, 32 bit: stable across processes, versions and platforms. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function shardOf(id: string, shardCount: number): number {
  return hash32(id) % shardCount;
}

/**
 * How many of `shardCount` shards `self` should own among `instances`: an
 * even split, the remainder to the first ones in id order, so every instance
 * computes the same split from the same list.
 */
export function fairShare(shardCount: number, instances: string[], self: string): number {
  const sorted = [...new Set([...instances, self])].sort();
  const rank = sorted.indexOf(self);
  return Math.floor(shardCount / sorted.length) + (rank < shardCount % sorted.length ? 1 : 0);
}

export interface ShardView {
  shardCount: number;
  self: string;
  /** instances that run the sharded service and sent a heartbeat lately (self included) */
  live: string[];
  /** current, unexpired owner of each owned shard */
  owners: Map<number, string>;
}

export interface ShardTick {
  target: number;
  /** shards to hand back now (stop working on them first), highest numbers first */
  release: number[];
  /** how many free shards to try to claim */
  claim: number;
}

/**
 * One step toward the fair share.
 * - Above it, while another live instance is below its share: release the excess
 *   (a joiner gets shards from those with too many). Nobody below: keep them —
 *   a brief over-share beats shards nobody polls.
 * - Below it: claim the difference.
 * - Free shards while no other live instance is below its share (their owner
 *   died and is still counted live): claim them all, rebalance later.
 */
export function planShardTick(view: ShardView): ShardTick {
  const live = [...new Set([...view.live, view.self])].sort();
  const counts = new Map(live.map((id) => [id, 0]));
  for (const owner of view.owners.values())
    if (counts.has(owner)) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  const held = [...view.owners].filter(([, owner]) => owner === view.self).map(([shard]) => shard);
  const target = fairShare(view.shardCount, live, view.self);
  const othersBelow = live.some(
    (id) => id !== view.self && (counts.get(id) ?? 0) < fairShare(view.shardCount, live, id),
  );
  const free = view.shardCount - view.owners.size;
  if (held.length > target) {
    return {
      target,
      release: othersBelow ? [...held].sort((a, b) => b - a).slice(0, held.length - target) : [],
      claim: othersBelow ? 0 : free,
    };
  }
  const claim = othersBelow ? Math.min(free, target - held.length) : free;
  return { target, release: [], claim };
}
