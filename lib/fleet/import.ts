import "server-only";
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { testConnection } from "@/lib/kube/connection";
import { type KubeconfigFacts, sanitizeKubeconfig } from "@/lib/kube/kubeconfig";
import { clusterUrlPolicy } from "@/lib/net/policy";
import { checkUrl } from "@/lib/net/url-policy";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import { clearThreshold, setThreshold } from "@/lib/thresholds/store";
import { type BulkImportItem, bulkImportItemSchema } from "./schemas";
import { checkDataSource, siteData } from "./sites";
import { markSitesDue } from "./summary/marks";

export type ImportStatus = "created" | "updated" | "unchanged" | "error";

export interface ImportResult {
  index: number;
  site: string;
  cluster: string;
  status: ImportStatus;
  message: string;
}

export interface ImportOptions {
  testConnections?: boolean;
  /** connection tests in flight at once */
  concurrency?: number;
  /** each connection test's whole deadline (default CONNECTION_TEST_TIMEOUT_MS) */
  testTimeoutMs?: number;
}

/** Connection tests run this many at a time; a silent cluster costs its own deadline, not the others'. */
export const IMPORT_TEST_CONCURRENCY = 8;

interface Prepared {
  label: { index: number; site: string; cluster: string };
  item?: z.output<typeof bulkImportItemSchema>;
  yaml?: string;
  facts?: KubeconfigFacts;
  version?: { k3sVersion: string; platform: string | null; lastTestedAt: Date };
  error?: string;
}

function problemText(err: unknown): string {
  if (isAppError(err)) {
    const detail =
      err.issues[0] && err.issues[0].message !== err.message
        ? ` (${err.issues[0].path}: ${err.issues[0].message})`
        : "";
    return `${err.message}${detail}`;
  }
  return "unexpected error while importing this item";
}

// Safe to re-run: sites are matched by slug, clusters by (server URL, name).
// Each item succeeds or fails on its own; one bad kubeconfig never stops the rest.
async function prepare(raw: BulkImportItem, index: number): Promise<Prepared> {
  const label = { index, site: String(raw?.site?.slug ?? "?"), cluster: String(raw?.cluster?.name ?? "?") };
  try {
    const parsed = bulkImportItemSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new AppError(
        "validation_failed",
        `${first?.path.join(".") ?? "item"}: ${first?.message ?? "invalid"}`,
      );
    }
    const { cluster: clusterInput } = parsed.data;
    const { yaml, facts } = sanitizeKubeconfig(clusterInput.kubeconfig, {
      context: clusterInput.context,
      serverOverride: clusterInput.serverOverride,
    });
    if (facts.isCopiedK3sAddress) {
      throw new AppError(
        "kubeconfig_rejected",
        `server ${facts.server} is the node's loopback; set serverOverride`,
      );
    }
    await checkUrl(facts.server, clusterUrlPolicy(), { field: "server" });
    await checkDataSource(parsed.data.site.dataSourceId);
    return { label, item: parsed.data, yaml, facts };
  } catch (err) {
    return { label, error: problemText(err) };
  }
}

async function store(p: Prepared, opts: ImportOptions): Promise<ImportResult> {
  const { label, item, yaml, facts } = p;
  if (p.error || !item || !yaml || !facts)
    return { ...label, status: "error", message: p.error ?? "invalid" };
  try {
    const { site: siteInput, cluster: clusterInput } = item;
    const data = siteData(siteInput);
    const [site] = await db().$transaction([
      db().site.upsert({
        where: { slug: siteInput.slug },
        create: { slug: siteInput.slug, ...data },
        update: data,
      }),
      // Its summary (if it has one yet) is recomputed: site fields or its clusters change below.
      db().siteSummary.updateMany({
        where: { slug: siteInput.slug },
        data: { version: { increment: 1 }, nextChangeAt: 0 },
      }),
    ]);
    // A manifest's "hot above" is the site level of the threshold chain; absent leaves it as it is.
    if (siteInput.tempWarnCelsius === null) await clearThreshold({ level: "site", siteId: site.id });
    else if (siteInput.tempWarnCelsius !== undefined)
      await setThreshold(
        { level: "site", siteId: site.id },
        { warnCelsius: siteInput.tempWarnCelsius, criticalCelsius: null },
        null,
      );
    const clusterData = {
      siteId: site.id,
      contextName: facts.contextName,
      authKind: facts.authKind,
      labels: JSON.stringify(clusterInput.labels),
      certNotAfter: facts.clientCertNotAfter,
      ...(p.version ?? {}),
    };
    const existing = await db().cluster.findUnique({
      where: {
        server_tlsServerName_name: {
          server: facts.server,
          tlsServerName: facts.tlsServerName ?? "",
          name: clusterInput.name,
        },
      },
    });
    if (!existing) {
      await db().$transaction([
        db().cluster.create({
          data: {
            ...clusterData,
            name: clusterInput.name,
            server: facts.server,
            tlsServerName: facts.tlsServerName ?? "",
            kubeconfigEnc: encryptSecret(yaml),
          },
        }),
        ...markSitesDue([site.id]),
      ]);
      return { ...label, status: "created", message: "registered" };
    }
    const isSame =
      decryptSecret(existing.kubeconfigEnc) === yaml &&
      existing.siteId === site.id &&
      existing.labels === clusterData.labels &&
      existing.contextName === clusterData.contextName;
    if (isSame && !opts.testConnections)
      return { ...label, status: "unchanged", message: "already registered" };
    await db().$transaction([
      db().cluster.update({
        where: { id: existing.id },
        data: { ...clusterData, ...(isSame ? {} : { kubeconfigEnc: encryptSecret(yaml) }) },
      }),
      // A cluster moved to another site changes both.
      ...markSitesDue([existing.siteId, site.id]),
    ]);
    return {
      ...label,
      status: isSame ? "unchanged" : "updated",
      message: isSame ? "already registered" : "credentials or labels updated",
    };
  } catch (err) {
    return { ...label, status: "error", message: problemText(err) };
  }
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/**
 * Validates every item, tests connections (when asked) a bounded number at a time,
 * then writes the items in order. Writes go one by one: SQLite serialises them anyway.
 */
export async function importFleet(
  items: BulkImportItem[],
  opts: ImportOptions = {},
): Promise<ImportResult[]> {
  const prepared = await Promise.all(items.map((raw, i) => prepare(raw, i)));
  if (opts.testConnections) {
    await pool(
      prepared.filter((p) => p.yaml),
      opts.concurrency ?? IMPORT_TEST_CONCURRENCY,
      async (p) => {
        const result = await testConnection(p.yaml as string, opts.testTimeoutMs);
        if (result.isOk)
          p.version = { k3sVersion: result.gitVersion, platform: result.platform, lastTestedAt: new Date() };
      },
    );
  }
  const results: ImportResult[] = [];
  for (const p of prepared) results.push(await store(p, opts));
  return results;
}

export function summarize(results: ImportResult[]): Record<ImportStatus, number> {
  const counts: Record<ImportStatus, number> = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}
