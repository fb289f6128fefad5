import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "@/lib/auth/session";
import { db, transaction } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { EmbedGrant } from "@/lib/generated/prisma/client";
import { decryptSecret, derivedKey, encryptSecret } from "@/lib/secrets/crypto";
import { loadDataSourceRows, parseMapping } from "@/lib/telemetry/data-sources";
import { createLinkToken } from "./link-token";
import { EMBED_KINDS, EMBED_MODES, EMBED_RANGES, type EmbedRange, isSiteEmbed } from "./model";
import { type GrantCreate, siteFilterSchema } from "./schemas";
import type { EmbedGrantView, GrantState } from "./types";
import type { GrantRecord } from "./verify";

// Grants: creation (credential shown once), listing by owner, revocation,
// reissue, and the cached lookup every embed request verifies against.

export const SIGNED_SECRET_PREFIX = "oes_";
/**
 * How long a verified grant is reused without reading the database again.
 * Revocation in this process drops it at once; another process sees it within this.
 */
export const GRANT_CACHE_MS = 1_000;

const LINK_KEY_PURPOSE = "embed-link-v1";

/** The link-token key, derived from the current secret key (see derivedKey). */
export function linkKey(): Buffer {
  return derivedKey(LINK_KEY_PURPOSE);
}

type GrantRow = EmbedGrant & {
  site: { id: string; slug: string; name: string } | null;
  createdBy: { id: string; username: string; isDisabled: boolean };
};

const include = {
  site: { select: { id: true, slug: true, name: true } },
  createdBy: { select: { id: true, username: true, isDisabled: true } },
} as const;

function parseList<T>(text: string, item: z.ZodType<T>): T[] {
  try {
    const r = z.array(item).safeParse(JSON.parse(text));
    return r.success ? r.data : [];
  } catch {
    return [];
  }
}

function parseFilter(text: string) {
  try {
    const r = siteFilterSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

function stateOf(row: GrantRow, now: number): GrantState {
  if (row.revokedAt) return "revoked";
  if (row.createdBy.isDisabled) return "disabled";
  if (row.expiresAt.getTime() <= now) return "expired";
  return "active";
}

const rangeSchema = z.enum(EMBED_RANGES);

function toRecord(row: GrantRow): GrantRecord {
  let secret: string | null | undefined;
  return {
    id: row.id,
    kind: z.enum(EMBED_KINDS).parse(row.kind),
    mode: z.enum(EMBED_MODES).parse(row.mode),
    site: row.site,
    filter: parseFilter(row.siteFilter),
    metric: row.metric,
    ranges: parseList(row.ranges, rangeSchema),
    defaultRange: rangeSchema.catch("1h").parse(row.defaultRange),
    origins: parseList(row.origins, z.string()),
    expiresAt: row.expiresAt.getTime(),
    revokedAt: row.revokedAt?.getTime() ?? null,
    isOwnerDisabled: row.createdBy.isDisabled,
    tokenHash: row.tokenHash,
    rateLimitPerMinute: row.rateLimitPerMinute,
    secret: () => {
      if (secret === undefined) {
        try {
          secret = row.secretEnc ? decryptSecret(row.secretEnc) : null;
        } catch {
          // A secret encrypted with a key that is no longer configured cannot verify anything.
          secret = null;
        }
      }
      return secret;
    },
  };
}

export function toView(row: GrantRow, now = Date.now()): EmbedGrantView {
  const r = toRecord(row);
  return {
    id: r.id,
    kind: r.kind,
    mode: r.mode,
    site: r.site,
    filter: r.filter,
    metric: r.metric,
    ranges: r.ranges,
    defaultRange: r.defaultRange,
    origins: r.origins,
    note: row.note,
    rateLimitPerMinute: r.rateLimitPerMinute,
    createdBy: { id: row.createdBy.id, username: row.createdBy.username },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedByName: row.revokedByName,
    state: stateOf(row, now),
    credentialHint: row.credentialHint,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    useCount: row.useCount,
  };
}

// ---------------------------------------------------------------------------
// Verification lookups (cached briefly, dropped on every change)

const globalCache = globalThis as unknown as {
  outpostEmbedGrants?: Map<string, { at: number; value: Promise<GrantRecord | null> }>;
};
globalCache.outpostEmbedGrants ??= new Map();
const cache = globalCache.outpostEmbedGrants;
const MAX_CACHED = 10_000;

export function forgetGrant(id: string): void {
  cache.delete(id);
}

export function forgetAllGrants(): void {
  cache.clear();
}

export function loadGrantRecord(id: string, now = Date.now()): Promise<GrantRecord | null> {
  const hit = cache.get(id);
  if (hit && now - hit.at < GRANT_CACHE_MS) return hit.value;
  const value = db()
    .embedGrant.findUnique({ where: { id }, include })
    .then((row) => (row ? toRecord(row) : null));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(id, { at: now, value });
  value.catch(() => cache.delete(id));
  return value;
}

// ---------------------------------------------------------------------------
// Management

export interface OwnerScope {
  userId: string;
  isAdmin: boolean;
}

export function ownerScope(actor: Actor): OwnerScope {
  return { userId: actor.userId, isAdmin: actor.role === "admin" };
}

async function resolveSite(idOrSlug: string) {
  const site = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { id: true, slug: true, name: true, dataSourceId: true },
  });
  if (!site)
    throw new AppError("validation_failed", "Site not found", {
      issues: [{ path: "site", message: "no site with this id or slug" }],
    });
  return site;
}

/** A turbine metric must be one the site's data source maps, or the chart would stay empty. */
async function checkMetric(site: { dataSourceId: string | null } | null, metric: string): Promise<void> {
  const rows = await loadDataSourceRows();
  const row =
    (site?.dataSourceId ? rows.find((r) => r.id === site.dataSourceId) : undefined) ??
    rows.find((r) => r.isDefault) ??
    rows[0];
  const fields = row ? (parseMapping(row.mapping).turbine?.fields ?? []) : [];
  if (!fields.includes(metric))
    throw new AppError("validation_failed", "Unknown turbine metric", {
      issues: [
        {
          path: "metric",
          message: fields.length
            ? `one of ${fields.join(", ")}`
            : "the site's data source maps no turbine metrics",
        },
      ],
    });
}

function newSecret(): string {
  return `${SIGNED_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export interface IssuedCredential {
  type: "link" | "signed";
  value: string;
}

export async function createGrant(
  actor: Actor,
  input: GrantCreate,
): Promise<{ row: GrantRow; credential: IssuedCredential }> {
  const site = input.site !== null ? await resolveSite(input.site) : null;
  if (input.kind === "turbine" && input.metric) await checkMetric(site, input.metric);
  const secret = input.mode === "signed" ? newSecret() : null;
  const isChart = input.kind !== "site-status" && input.kind !== "fleet-strip";
  const ranges: EmbedRange[] = isChart ? input.ranges : [input.defaultRange];
  return transaction(async (tx) => {
    const created = await tx.embedGrant.create({
      data: {
        kind: input.kind,
        mode: input.mode,
        siteId: isSiteEmbed(input.kind) ? (site?.id ?? null) : null,
        siteFilter: JSON.stringify(site ? {} : input.filter),
        metric: input.metric,
        ranges: JSON.stringify(ranges),
        defaultRange: input.defaultRange,
        origins: JSON.stringify(input.origins),
        note: input.note,
        rateLimitPerMinute: input.rateLimitPerMinute ?? env().OUTPOST_EMBED_RATE_LIMIT_PER_MINUTE,
        createdById: actor.userId,
        expiresAt: input.expiresAt,
        secretEnc: secret ? encryptSecret(secret) : null,
        credentialHint: secret ? secret.slice(0, 10) : "",
      },
    });
    let value = secret ?? "";
    if (!secret) {
      const link = createLinkToken(linkKey(), created.id);
      value = link.token;
      await tx.embedGrant.update({
        where: { id: created.id },
        data: { tokenHash: link.hash, credentialHint: link.token.slice(0, 12) },
      });
    }
    const row = await tx.embedGrant.findUniqueOrThrow({ where: { id: created.id }, include });
    return { row, credential: { type: input.mode, value } };
  });
}

export async function listGrants(
  scope: OwnerScope,
  filter: { state: "active" | "all"; site?: string },
  now = Date.now(),
): Promise<EmbedGrantView[]> {
  const rows = await db().embedGrant.findMany({
    where: {
      ...(scope.isAdmin ? {} : { createdById: scope.userId }),
      ...(filter.site ? { site: { OR: [{ id: filter.site }, { slug: filter.site }] } } : {}),
      ...(filter.state === "active" ? { revokedAt: null, expiresAt: { gt: new Date(now) } } : {}),
    },
    include,
    orderBy: { createdAt: "desc" },
    take: 1_000,
  });
  return rows.map((r) => toView(r, now));
}

/** The grant if this actor may manage it; otherwise "not found" (operators do not learn of others' grants). */
export async function ownedGrant(scope: OwnerScope, id: string): Promise<GrantRow> {
  const row = await db().embedGrant.findUnique({ where: { id }, include });
  if (!row || (!scope.isAdmin && row.createdById !== scope.userId))
    throw new AppError("not_found", "Embed grant not found");
  return row;
}

export async function revokeGrant(scope: OwnerScope, actor: Actor, id: string): Promise<GrantRow> {
  const row = await ownedGrant(scope, id);
  if (row.revokedAt) return row;
  const updated = await db().embedGrant.update({
    where: { id },
    data: { revokedAt: new Date(), revokedByName: actor.username },
    include,
  });
  forgetGrant(id);
  return updated;
}

/** A new link token or signing secret; the old one stops working at once. */
export async function reissueGrant(
  scope: OwnerScope,
  id: string,
): Promise<{ row: GrantRow; credential: IssuedCredential }> {
  const row = await ownedGrant(scope, id);
  if (row.revokedAt) throw new AppError("conflict", "This grant is revoked; create a new one");
  let credential: IssuedCredential;
  let data: { tokenHash?: string; secretEnc?: string; credentialHint: string };
  if (row.mode === "signed") {
    const secret = newSecret();
    credential = { type: "signed", value: secret };
    data = { secretEnc: encryptSecret(secret), credentialHint: secret.slice(0, 10) };
  } else {
    const link = createLinkToken(linkKey(), row.id);
    credential = { type: "link", value: link.token };
    data = { tokenHash: link.hash, credentialHint: link.token.slice(0, 12) };
  }
  const updated = await db().embedGrant.update({ where: { id }, data, include });
  forgetGrant(id);
  return { row: updated, credential };
}

export async function grantEvents(scope: OwnerScope, id: string, limit = 100) {
  await ownedGrant(scope, id);
  const rows = await db().auditEvent.findMany({
    where: { targetType: "embed-grant", targetId: id },
    orderBy: { at: "desc" },
    take: limit,
  });
  return rows.map((e) => {
    let detail: Record<string, unknown> = {};
    try {
      detail = JSON.parse(e.detail) as Record<string, unknown>;
    } catch {
      detail = {};
    }
    return {
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      actorName: e.actorName,
      result: e.result,
      detail,
    };
  });
}
