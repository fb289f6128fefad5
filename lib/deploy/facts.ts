import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { intervalMs, reachRecord, reachSelect } from "@/lib/fleet/health";
import { offlineWindowSchema } from "@/lib/fleet/schemas";
import { clusterFreshness } from "@/lib/health/freshness";
import { activeOfflineWindow, formatWindow } from "@/lib/health/offline-window";
import type { ClusterFacts } from "./engine";
import { maintenanceNow } from "./maintenance";

// What the rollout engine needs to know about each target cluster right now:
// is it fresh (the collector's one definition), is its site inside an expected
// offline window, is its site in maintenance. Read in bulk, one query per kind.

const windowsSchema = z.array(offlineWindowSchema);

function windowsOf(text: string): z.infer<typeof windowsSchema> {
  try {
    const parsed = windowsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function clusterFacts(clusterIds: string[], now: number): Promise<Map<string, ClusterFacts>> {
  const out = new Map<string, ClusterFacts>();
  if (clusterIds.length === 0) return out;
  const interval = intervalMs();
  const clusters = await db().cluster.findMany({
    where: { id: { in: clusterIds } },
    select: {
      id: true,
      siteId: true,
      site: { select: { expectedOfflineWindows: true } },
      status: { select: reachSelect },
    },
  });
  const maintenance = await maintenanceNow([...new Set(clusters.map((c) => c.siteId))], now);
  for (const c of clusters) {
    const fresh = clusterFreshness(reachRecord(c.status), now, interval);
    const window = activeOfflineWindow(windowsOf(c.site.expectedOfflineWindows), now);
    out.set(c.id, {
      reach: fresh.state === "never" ? "unknown" : fresh.state,
      reachReason: window ? `${fresh.message}; expected offline ${formatWindow(window)}` : fresh.message,
      isExpectedOffline: window !== null,
      lastSeenAt: c.status?.lastSuccessAt?.getTime() ?? null,
      maintenance: maintenance.get(c.siteId) ?? null,
    });
  }
  return out;
}
