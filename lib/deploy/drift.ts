import "server-only";
import { db, transaction } from "@/lib/db/client";
import { fenced, type Lease } from "@/lib/work/lease";
import { ClusterGone, clientFor } from "./clients";
import { discover, namespacesToCreate, type ObjectPreview, previewObject, Unreachable } from "./cluster-ops";
import { revisionForApply } from "./deployments";
import type { FieldChange } from "./diff";
import { clusterFacts } from "./facts";
import { deploySettings } from "./settings";

// Drift detection: every so often, each applied deployment is dry-run again on
// its cluster. When the result differs from what is live (someone edited an
// object, or another manager took a field over), the installation is "drifted"
// with the fields; when it matches again, it is "ready" again.

const BATCH = 50;
const PARALLEL = 4;

export interface DriftField extends FieldChange {
  object: string;
  /** the other manager, when a field was taken over */
  manager?: string;
}

/** Drifted fields from a dry run: changes it would make, and fields other managers now own. */
export function driftFields(previews: ObjectPreview[]): DriftField[] {
  const out: DriftField[] = [];
  for (const p of previews) {
    if (p.outcome === "changed") for (const c of p.changes) out.push({ ...c, object: p.label });
    if (p.outcome === "created")
      out.push({ path: "(object)", kind: "removed", object: p.label, before: "(deleted on the cluster)" });
    if (p.outcome === "conflict")
      for (const c of p.conflicts)
        out.push({
          path: c.field.replace(/^\./, ""),
          kind: "changed",
          object: p.label,
          manager: c.manager,
          after: `owned by ${c.manager}`,
        });
  }
  return out;
}

function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2));
}

export async function checkDrift(
  installationId: string,
  lease: Lease | null,
  now = Date.now(),
): Promise<"ready" | "drifted" | "skipped"> {
  const inst = await db().deploymentInstallation.findUnique({
    where: { id: installationId },
    select: {
      id: true,
      clusterId: true,
      revisionId: true,
      state: true,
      deployment: { select: { name: true } },
    },
  });
  if (!inst?.revisionId || (inst.state !== "ready" && inst.state !== "drifted")) return "skipped";
  const settings = deploySettings();
  const next = new Date(now + jitter(settings.driftMs || 30 * 60_000));
  const facts = await clusterFacts([inst.clusterId], now);
  const write = async (data: Record<string, unknown>) => {
    const run = (tx: Parameters<Parameters<typeof fenced>[1]>[0]) =>
      tx.deploymentInstallation.updateMany({
        where: { id: inst.id, state: { in: ["ready", "drifted"] } },
        data,
      });
    if (lease) await fenced(lease, run);
    else await transaction(run);
  };
  if (facts.get(inst.clusterId)?.reach !== "fresh") {
    await write({ nextDriftCheckAt: next });
    return "skipped";
  }
  try {
    const { objects } = await revisionForApply(inst.revisionId);
    const client = await clientFor(inst.clusterId);
    const resources = await discover(
      client,
      objects.map((o) => o.apiVersion),
      settings.requestTimeoutMs,
    );
    const newNamespaces = await namespacesToCreate(client, objects, settings.requestTimeoutMs);
    const previews: ObjectPreview[] = [];
    for (const o of objects) {
      previews.push(
        await previewObject(client, resources, o, {
          timeoutMs: settings.requestTimeoutMs,
          force: false,
          deploymentName: inst.deployment.name,
          newNamespaces,
        }),
      );
    }
    const fields = driftFields(previews);
    const state = fields.length > 0 ? "drifted" : "ready";
    await write({
      state,
      reason: fields.length > 0 ? `${fields.length} fields differ from revision` : "matches the revision",
      driftFields: JSON.stringify(fields.slice(0, 200)),
      driftCheckedAt: new Date(now),
      nextDriftCheckAt: next,
    });
    return state;
  } catch (err) {
    if (err instanceof Unreachable || err instanceof ClusterGone) {
      await write({ nextDriftCheckAt: next });
      return "skipped";
    }
    throw err;
  }
}

/** One pass of the drift singleton: the installations whose check is due, a few at a time. */
export async function runDriftSweep(
  lease: Lease | null,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<number> {
  const due = await db().deploymentInstallation.findMany({
    where: { state: { in: ["ready", "drifted"] }, nextDriftCheckAt: { lte: new Date(now) } },
    orderBy: { nextDriftCheckAt: "asc" },
    take: BATCH,
    select: { id: true },
  });
  let next = 0;
  const worker = async () => {
    while (next < due.length && !signal?.aborted) {
      const item = due[next++];
      if (item) await checkDrift(item.id, lease, now);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return due.length;
}
