import "server-only";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { testConnection } from "@/lib/kube/connection";
import { sanitizeKubeconfig } from "@/lib/kube/kubeconfig";
import { clusterUrlPolicy } from "@/lib/net/policy";
import { checkUrl } from "@/lib/net/url-policy";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import { clearThreshold, setThreshold } from "@/lib/thresholds/store";
import { type BulkImportItem, bulkImportItemSchema } from "./schemas";

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
  concurrency?: number;
}

// Safe to re-run: sites are matched by slug, clusters by (server URL, name).
// Each item succeeds or fails on its own; one bad kubeconfig never stops the rest.
async function importOne(raw: BulkImportItem, index: number, opts: ImportOptions): Promise<ImportResult> {
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
    const { site: siteInput, cluster: clusterInput } = parsed.data;
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
    const siteData = {
      name: siteInput.name,
      kind: siteInput.kind,
      latitude: siteInput.latitude ?? null,
      longitude: siteInput.longitude ?? null,
      labels: JSON.stringify(siteInput.labels),
      contactMode: siteInput.contactMode,
      expectedOfflineWindows: JSON.stringify(siteInput.expectedOfflineWindows),
      maxSilenceMinutes: siteInput.maxSilenceMinutes ?? null,
    };
    const site = await db().site.upsert({
      where: { slug: siteInput.slug },
      create: { slug: siteInput.slug, ...siteData },
      update: siteData,
    });
    // A manifest's "hot above" is the site level of the threshold chain; absent leaves it as it is.
    if (siteInput.tempWarnCelsius === null) await clearThreshold({ level: "site", siteId: site.id });
    else if (siteInput.tempWarnCelsius !== undefined)
      await setThreshold(
        { level: "site", siteId: site.id },
        { warnCelsius: siteInput.tempWarnCelsius, criticalCelsius: null },
        null,
      );
    let versionData = {};
    if (opts.testConnections) {
      const result = await testConnection(yaml);
      if (result.isOk)
        versionData = { k3sVersion: result.gitVersion, platform: result.platform, lastTestedAt: new Date() };
    }
    const clusterData = {
      siteId: site.id,
      contextName: facts.contextName,
      authKind: facts.authKind,
      labels: JSON.stringify(clusterInput.labels),
      certNotAfter: facts.clientCertNotAfter,
      ...versionData,
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
      await db().cluster.create({
        data: {
          ...clusterData,
          name: clusterInput.name,
          server: facts.server,
          tlsServerName: facts.tlsServerName ?? "",
          kubeconfigEnc: encryptSecret(yaml),
        },
      });
      return { ...label, status: "created", message: "registered" };
    }
    const isSame =
      decryptSecret(existing.kubeconfigEnc) === yaml &&
      existing.siteId === site.id &&
      existing.labels === clusterData.labels &&
      existing.contextName === clusterData.contextName;
    if (isSame && !opts.testConnections)
      return { ...label, status: "unchanged", message: "already registered" };
    await db().cluster.update({
      where: { id: existing.id },
      data: { ...clusterData, ...(isSame ? {} : { kubeconfigEnc: encryptSecret(yaml) }) },
    });
    return {
      ...label,
      status: isSame ? "unchanged" : "updated",
      message: isSame ? "already registered" : "credentials or labels updated",
    };
  } catch (err) {
    if (isAppError(err)) {
      const detail =
        err.issues[0] && err.issues[0].message !== err.message
          ? ` (${err.issues[0].path}: ${err.issues[0].message})`
          : "";
      return { ...label, status: "error", message: `${err.message}${detail}` };
    }
    return { ...label, status: "error", message: "unexpected error while importing this item" };
  }
}

export async function importFleet(
  items: BulkImportItem[],
  opts: ImportOptions = {},
): Promise<ImportResult[]> {
  const results: ImportResult[] = new Array(items.length);
  // SQLite serialises writes anyway; a small pool only overlaps connection tests.
  const concurrency = opts.testConnections ? (opts.concurrency ?? 16) : 1;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await importOne(items[i] as BulkImportItem, i, opts);
      }
    }),
  );
  return results;
}

export function summarize(results: ImportResult[]): Record<ImportStatus, number> {
  const counts: Record<ImportStatus, number> = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}
