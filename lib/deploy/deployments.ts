import "server-only";
import { z } from "zod";
import { hasRole } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { db, transaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import { decryptSecret, encryptSecret, secretDigest } from "@/lib/secrets/crypto";
import {
  formatIssue,
  hasErrors,
  MAX_MANIFEST_BYTES,
  type ManifestIssue,
  type ManifestObject,
  parseManifest,
} from "./manifest";
import {
  compareRevisions,
  contentHash,
  type ObjectComparison,
  type RevisionSecrets,
  redactSecrets,
  restoreSecrets,
  type SecretFingerprints,
  toYaml,
} from "./revision";

// Deployments and their immutable revisions: validation with every problem
// named, the role rule (cluster-scoped and RBAC objects need admin), Secret
// values encrypted at rest and never returned, dedupe by content hash.

export const deploymentNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "lower-case letters, digits and '-' (it becomes a Kubernetes label value)",
  );

const manifestText = z.string().max(MAX_MANIFEST_BYTES + 1, `at most ${MAX_MANIFEST_BYTES} bytes`);

export const createDeploymentSchema = z
  .object({
    name: deploymentNameSchema,
    description: z.string().max(500).default(""),
    manifest: manifestText,
    message: z.string().max(500).default(""),
  })
  .strict();

export const createRevisionSchema = z
  .object({ manifest: manifestText, message: z.string().max(500).default("") })
  .strict();

export const validateManifestSchema = z.object({ manifest: manifestText }).strict();

export interface RevisionSummary {
  id: string;
  number: number;
  contentHash: string;
  message: string;
  authorName: string;
  createdAt: string;
  requiredRole: "operator" | "admin";
  sizeBytes: number;
  objects: { apiVersion: string; kind: string; namespace?: string; name: string }[];
}

export interface RevisionDetail extends RevisionSummary {
  /** the revision as YAML, Secret values hidden */
  yaml: string;
}

type RevisionRow = {
  id: string;
  number: number;
  contentHash: string;
  message: string;
  authorName: string;
  createdAt: Date;
  requiredRole: string;
  sizeBytes: number;
  objects: string;
};

function objectsOf(row: Pick<RevisionRow, "objects">): ManifestObject[] {
  return JSON.parse(row.objects) as ManifestObject[];
}

export function toRevisionSummary(row: RevisionRow): RevisionSummary {
  return {
    id: row.id,
    number: row.number,
    contentHash: row.contentHash,
    message: row.message,
    authorName: row.authorName,
    createdAt: row.createdAt.toISOString(),
    requiredRole: row.requiredRole === "admin" ? "admin" : "operator",
    sizeBytes: row.sizeBytes,
    objects: objectsOf(row).map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      name: o.name,
    })),
  };
}

/** Validation for the editor: every problem, without storing anything. */
export function checkManifest(manifest: string): {
  issues: (ManifestIssue & { text: string })[];
  requiredRole: "operator" | "admin";
  objects: { kind: string; namespace?: string; name: string }[];
} {
  const parsed = parseManifest(manifest);
  return {
    issues: parsed.issues.map((i) => ({ ...i, text: formatIssue(i) })),
    requiredRole: parsed.requiredRole,
    objects: parsed.objects.map((o) => ({
      kind: o.kind,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      name: o.name,
    })),
  };
}

interface PreparedRevision {
  objects: ManifestObject[];
  secretsEnc: string | null;
  fingerprints: SecretFingerprints;
  hash: string;
  requiredRole: "operator" | "admin";
  sizeBytes: number;
}

function prepare(manifest: string, actor: Actor): PreparedRevision {
  const parsed = parseManifest(manifest);
  if (hasErrors(parsed)) {
    const errors = parsed.issues.filter((i) => i.severity === "error");
    throw new AppError(
      "validation_failed",
      `The manifest has ${errors.length === 1 ? "a problem" : `${errors.length} problems`}: ${formatIssue(errors[0] as ManifestIssue)}`,
      { issues: errors.map((i) => ({ path: "manifest", message: formatIssue(i) })) },
    );
  }
  if (parsed.requiredRole === "admin" && !hasRole(actor.role, "admin")) {
    const which = parsed.objects.find(
      (o) => o.namespaced !== true || o.apiVersion.startsWith("rbac.authorization.k8s.io/"),
    );
    throw new AppError(
      "forbidden",
      `Cluster-scoped and RBAC objects need the admin role${which ? ` (document ${which.document}: ${which.kind} ${which.name})` : ""}; operators deploy namespaced workloads`,
    );
  }
  const { objects, secrets, fingerprints } = redactSecrets(parsed.objects, secretDigest);
  const hasSecrets = Object.keys(secrets).length > 0;
  return {
    objects,
    secretsEnc: hasSecrets ? encryptSecret(JSON.stringify(secrets)) : null,
    fingerprints,
    hash: contentHash(objects, fingerprints),
    requiredRole: parsed.requiredRole,
    sizeBytes: parsed.bytes,
  };
}

const revisionSelect = {
  id: true,
  number: true,
  contentHash: true,
  message: true,
  authorName: true,
  createdAt: true,
  requiredRole: true,
  sizeBytes: true,
  objects: true,
} as const;

export async function createDeployment(
  input: z.output<typeof createDeploymentSchema>,
  actor: Actor,
): Promise<{ deployment: { id: string; name: string }; revision: RevisionSummary }> {
  const rev = prepare(input.manifest, actor);
  const existing = await db().deployment.findUnique({ where: { name: input.name }, select: { id: true } });
  const taken = () =>
    new AppError("conflict", `A deployment named "${input.name}" exists; add a revision to it instead`);
  if (existing) throw taken();
  return transaction(async (tx) => {
    const deployment = await tx.deployment.create({
      data: {
        name: input.name,
        description: input.description,
        createdById: actor.userId,
        createdByName: actor.username,
      },
      select: { id: true, name: true },
    });
    const revision = await tx.deploymentRevision.create({
      data: {
        deploymentId: deployment.id,
        number: 1,
        contentHash: rev.hash,
        objects: JSON.stringify(rev.objects),
        secretsEnc: rev.secretsEnc,
        secretPrints: JSON.stringify(rev.fingerprints),
        requiredRole: rev.requiredRole,
        message: input.message || "first revision",
        authorId: actor.userId,
        authorName: actor.username,
        sizeBytes: rev.sizeBytes,
      },
      select: revisionSelect,
    });
    return { deployment, revision: toRevisionSummary(revision) };
  }).catch((err: unknown) => {
    if (isUniqueViolation(err, "Deployment_name_key", ["name"])) throw taken();
    throw err;
  });
}

/** A new revision, unless the content equals the latest one (then that one, isNew false). */
export async function createRevision(
  deploymentId: string,
  input: z.output<typeof createRevisionSchema>,
  actor: Actor,
): Promise<{ revision: RevisionSummary; isNew: boolean }> {
  const deployment = await db().deployment.findUnique({
    where: { id: deploymentId },
    select: { id: true, kind: true },
  });
  if (!deployment) throw new AppError("not_found", "Deployment not found");
  if (deployment.kind !== "manifest") throw new AppError("bad_request", "A restart has no revisions");
  const rev = prepare(input.manifest, actor);
  return transaction(async (tx) => {
    const latest = await tx.deploymentRevision.findFirst({
      where: { deploymentId },
      orderBy: { number: "desc" },
      select: revisionSelect,
    });
    if (latest && latest.contentHash === rev.hash)
      return { revision: toRevisionSummary(latest), isNew: false };
    const revision = await tx.deploymentRevision.create({
      data: {
        deploymentId,
        number: (latest?.number ?? 0) + 1,
        contentHash: rev.hash,
        objects: JSON.stringify(rev.objects),
        secretsEnc: rev.secretsEnc,
        secretPrints: JSON.stringify(rev.fingerprints),
        requiredRole: rev.requiredRole,
        message: input.message,
        authorId: actor.userId,
        authorName: actor.username,
        sizeBytes: rev.sizeBytes,
      },
      select: revisionSelect,
    });
    await tx.deployment.update({ where: { id: deploymentId }, data: { updatedAt: new Date() } });
    return { revision: toRevisionSummary(revision), isNew: true };
  });
}

export async function findDeployment(idOrName: string): Promise<{
  id: string;
  name: string;
  kind: string;
  description: string;
  createdAt: Date;
  createdByName: string;
}> {
  const row = await db().deployment.findFirst({
    where: { OR: [{ id: idOrName }, { name: idOrName }] },
    select: { id: true, name: true, kind: true, description: true, createdAt: true, createdByName: true },
  });
  if (!row) throw new AppError("not_found", "Deployment not found");
  return row;
}

export async function listRevisions(deploymentId: string): Promise<RevisionSummary[]> {
  const rows = await db().deploymentRevision.findMany({
    where: { deploymentId },
    orderBy: { number: "desc" },
    select: revisionSelect,
  });
  return rows.map(toRevisionSummary);
}

async function revisionRow(deploymentId: string, number: number) {
  const row = await db().deploymentRevision.findUnique({
    where: { deploymentId_number: { deploymentId, number } },
    select: { ...revisionSelect, secretPrints: true },
  });
  if (!row) throw new AppError("not_found", `Revision ${number} not found`);
  return row;
}

export async function getRevision(deploymentId: string, number: number): Promise<RevisionDetail> {
  const row = await revisionRow(deploymentId, number);
  return { ...toRevisionSummary(row), yaml: toYaml(objectsOf(row)) };
}

export async function compareRevisionNumbers(
  deploymentId: string,
  from: number,
  to: number,
): Promise<{ from: RevisionSummary; to: RevisionSummary; objects: ObjectComparison[] }> {
  const [a, b] = await Promise.all([revisionRow(deploymentId, from), revisionRow(deploymentId, to)]);
  const side = (row: typeof a) => ({
    objects: objectsOf(row),
    fingerprints: JSON.parse(row.secretPrints) as SecretFingerprints,
  });
  return {
    from: toRevisionSummary(a),
    to: toRevisionSummary(b),
    objects: compareRevisions(side(a), side(b)),
  };
}

/** Server-side only: a revision's objects with the Secret values back, to apply them. */
export async function revisionForApply(
  revisionId: string,
): Promise<{ number: number; objects: ManifestObject[]; requiredRole: string }> {
  const row = await db().deploymentRevision.findUnique({
    where: { id: revisionId },
    select: { number: true, objects: true, secretsEnc: true, requiredRole: true },
  });
  if (!row) throw new AppError("not_found", "Revision not found");
  const secrets: RevisionSecrets = row.secretsEnc
    ? (JSON.parse(decryptSecret(row.secretsEnc)) as RevisionSecrets)
    : {};
  return {
    number: row.number,
    objects: restoreSecrets(objectsOf(row), secrets),
    requiredRole: row.requiredRole,
  };
}

/** A revision's object identities (no values), e.g. what a rollback prunes. */
export async function revisionObjects(revisionId: string): Promise<ManifestObject[]> {
  const row = await db().deploymentRevision.findUnique({
    where: { id: revisionId },
    select: { objects: true },
  });
  if (!row) throw new AppError("not_found", "Revision not found");
  return objectsOf(row);
}
