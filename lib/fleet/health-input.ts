import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { decodePolls } from "@/lib/health/link";
import type { ClusterReachRecord, ClusterSummary, SiteHealthInput } from "@/lib/health/types";
import type { ReachErrorClass } from "@/lib/kube/error-class";
import { type FleetTelemetry, telemetryForSites } from "@/lib/telemetry/read";
import { labelsSchema, offlineWindowSchema } from "./schemas";

// What the collector and the telemetry tick stored, as the pure health model's
// input: one mapping for the fleet list, the site page and the fleet summary, so
// they cannot judge the same site differently.

export function intervalMs(): number {
  return env().OUTPOST_POLL_INTERVAL_SECONDS * 1000;
}

export function parseJson<T>(text: string | null | undefined, schema: z.ZodType<T>, fallback: T): T {
  if (!text) return fallback;
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : fallback;
  } catch {
    return fallback;
  }
}

const windowsSchema = z.array(offlineWindowSchema);

export interface StatusRow {
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  lastErrorClass: string | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
  recentPolls: string;
  flapSince: Date | null;
  slowSince: Date | null;
  summary: string | null;
}

export function reachRecord(status: Omit<StatusRow, "summary"> | null): ClusterReachRecord {
  return {
    lastAttemptAt: status?.lastAttemptAt?.toISOString() ?? null,
    lastSuccessAt: status?.lastSuccessAt?.toISOString() ?? null,
    lastErrorAt: status?.lastErrorAt?.toISOString() ?? null,
    lastErrorClass: (status?.lastErrorClass as ReachErrorClass | null) ?? null,
    lastErrorMessage: status?.lastErrorMessage ?? null,
    consecutiveFailures: status?.consecutiveFailures ?? 0,
    recentPolls: decodePolls(status?.recentPolls),
    flapSince: status?.flapSince?.toISOString() ?? null,
    slowSince: status?.slowSince?.toISOString() ?? null,
  };
}

/** The status columns the reach axis reads (`reachRecord`). */
export const reachSelect = {
  lastAttemptAt: true,
  lastSuccessAt: true,
  lastErrorAt: true,
  lastErrorClass: true,
  lastErrorMessage: true,
  consecutiveFailures: true,
  recentPolls: true,
  flapSince: true,
  slowSince: true,
} as const;

export const statusSelect = { ...reachSelect, summary: true } as const;

export interface SiteInputRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
  contactMode: string;
  expectedOfflineWindows: string;
  maxSilenceMinutes: number | null;
  clusters: { id: string; name: string; certNotAfter: Date | null; status: StatusRow | null }[];
}

/** A site row (fleet list or detail page) as the health model's input, without telemetry. */
export function healthInput(s: SiteInputRow): SiteHealthInput {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    kind: s.kind,
    contactMode: s.contactMode === "intermittent" ? "intermittent" : "continuous",
    expectedOfflineWindows: parseJson(s.expectedOfflineWindows, windowsSchema, []),
    maxSilenceMinutes: s.maxSilenceMinutes,
    // Cluster order is part of the input (sentences list clusters in it): the same on every read.
    clusters: [...s.clusters]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({
        id: c.id,
        name: c.name,
        reach: reachRecord(c.status),
        summary: c.status?.summary ? (JSON.parse(c.status.summary) as ClusterSummary) : null,
        certNotAfter: c.certNotAfter?.toISOString() ?? null,
      })),
  };
}

export const siteInputSelect = {
  id: true,
  slug: true,
  name: true,
  kind: true,
  labels: true,
  latitude: true,
  longitude: true,
  contactMode: true,
  expectedOfflineWindows: true,
  maxSilenceMinutes: true,
  dataSourceId: true,
  clusters: { select: { id: true, name: true, certNotAfter: true, status: { select: statusSelect } } },
} as const;

export interface LoadedSite {
  input: SiteHealthInput;
  kind: string;
  labels: Record<string, string>;
  labelsText: string;
  latitude: number | null;
  longitude: number | null;
  /** the data source whose stored telemetry went into `input.telemetry` (null: none) */
  telemetrySourceId: string | null;
}

/** Ids per query: the clusters and statuses Prisma loads with them stay far below the parameter limits. */
const IDS_PER_QUERY = 400;

async function sitesByIds(ids: readonly string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    out.push(
      ...(await db().site.findMany({
        where: { id: { in: ids.slice(i, i + IDS_PER_QUERY) } },
        select: siteInputSelect,
      })),
    );
  }
  return out;
}

/** Inputs for the given sites (all when `ids` is null), telemetry from the tick's store. */
export async function loadSiteInputs(
  ids: readonly string[] | null,
  now: number,
): Promise<{ sites: LoadedSite[]; telemetry: FleetTelemetry }> {
  const rows = ids === null ? await db().site.findMany({ select: siteInputSelect }) : await sitesByIds(ids);
  const telemetry = await telemetryForSites(rows, { now });
  const sites = rows.map((s): LoadedSite => {
    const t = telemetry.bySite.get(s.id);
    return {
      input: { ...healthInput(s), ...(t ? { telemetry: t } : {}) },
      kind: s.kind,
      labels: parseJson(s.labels, labelsSchema, {}),
      labelsText: s.labels,
      latitude: s.latitude,
      longitude: s.longitude,
      telemetrySourceId: t ? (telemetry.sourceBySite.get(s.id) ?? null) : null,
    };
  });
  return { sites, telemetry };
}
