// Splitting a rollout's targets into waves. Pure and deterministic: the same
// targets and strategy always give the same waves, so a restarted runner and the
// detail page agree on what wave 3 is.
import type { Strategy } from "./strategy";

export interface PlanTarget {
  clusterId: string;
  siteId: string;
  siteSlug: string;
  clusterName: string;
  siteLabels: Record<string, string>;
  clusterLabels: Record<string, string>;
}

export interface PlannedWave {
  name: string;
  clusterIds: string[];
}

/** The order targets are taken in: by site, then cluster name. */
export function orderTargets<T extends Pick<PlanTarget, "siteSlug" | "clusterName">>(targets: T[]): T[] {
  return [...targets].sort(
    (a, b) => a.siteSlug.localeCompare(b.siteSlug) || a.clusterName.localeCompare(b.clusterName),
  );
}

function groupBy(
  targets: PlanTarget[],
  keyOf: (t: PlanTarget) => string | undefined,
  missing: string,
): PlannedWave[] {
  const groups = new Map<string, string[]>();
  const rest: string[] = [];
  for (const t of targets) {
    const key = keyOf(t);
    if (key === undefined) rest.push(t.clusterId);
    else groups.set(key, [...(groups.get(key) ?? []), t.clusterId]);
  }
  const waves = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, clusterIds]) => ({ name, clusterIds }));
  if (rest.length > 0) waves.push({ name: missing, clusterIds: rest });
  return waves;
}

export function planWaves(
  targets: PlanTarget[],
  strategy: Pick<Strategy, "canary" | "waves">,
): PlannedWave[] {
  const ordered = orderTargets(targets);
  const byId = new Map(ordered.map((t) => [t.clusterId, t]));
  const canaryIds =
    strategy.canary.clusterIds.length > 0
      ? strategy.canary.clusterIds.filter((id) => byId.has(id))
      : ordered.slice(0, strategy.canary.count).map((t) => t.clusterId);
  const inCanary = new Set(canaryIds);
  const rest = ordered.filter((t) => !inCanary.has(t.clusterId));
  const waves: PlannedWave[] = canaryIds.length > 0 ? [{ name: "canary", clusterIds: canaryIds }] : [];
  if (rest.length === 0) return waves;
  const spec = strategy.waves;
  switch (spec.by) {
    case "all":
      waves.push({ name: "all", clusterIds: rest.map((t) => t.clusterId) });
      break;
    case "count":
      for (let i = 0; i < rest.length; i += spec.size) {
        waves.push({
          name: `wave ${waves.length + 1}`,
          clusterIds: rest.slice(i, i + spec.size).map((t) => t.clusterId),
        });
      }
      break;
    case "percent": {
      const steps = spec.steps.at(-1) === 100 ? spec.steps : [...spec.steps, 100];
      let taken = 0;
      for (const step of steps) {
        const upTo = Math.min(rest.length, Math.max(taken + 1, Math.ceil((rest.length * step) / 100)));
        if (upTo <= taken) continue;
        waves.push({ name: `${step} %`, clusterIds: rest.slice(taken, upTo).map((t) => t.clusterId) });
        taken = upTo;
        if (taken >= rest.length) break;
      }
      break;
    }
    case "site":
      waves.push(...groupBy(rest, (t) => t.siteSlug, "other"));
      break;
    case "label":
      waves.push(
        ...groupBy(
          rest,
          (t) => {
            const v = (spec.scope === "cluster" ? t.clusterLabels : t.siteLabels)[spec.key];
            return v === undefined ? undefined : `${spec.key}=${v}`;
          },
          `no ${spec.key} label`,
        ),
      );
      break;
  }
  return waves;
}
