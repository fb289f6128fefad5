import { z } from "zod";
import { SITE_KINDS } from "@/lib/fleet/schemas";
import { decodeJws, verifyHs256 } from "./jws";
import { isLinkToken, matchesHash, readLinkToken } from "./link-token";
import {
  CLOCK_SKEW_SECONDS,
  EMBED_AUDIENCE,
  EMBED_RANGES,
  type EmbedKind,
  type EmbedMode,
  type EmbedRange,
  type RefusalReason,
  SIGNED_TOKEN_MAX_SECONDS,
  type SiteFilter,
} from "./model";
import type { ViewerParams } from "./scope";

// Token → grant, or the reason it is refused. Pure apart from the injected
// grant loader, so every edge (tampered, wrong key, expired, wrong audience,
// future iat, revoked, rotated key) is unit-tested without a server. Order
// matters: nothing about a grant (revoked? expired when?) is told to a token
// that has not proven it belongs to that grant.

/** What verification needs to know about a grant (loaded by the server). */
export interface GrantRecord {
  id: string;
  kind: EmbedKind;
  mode: EmbedMode;
  site: { id: string; slug: string; name: string } | null;
  filter: SiteFilter;
  metric: string | null;
  ranges: EmbedRange[];
  defaultRange: EmbedRange;
  origins: string[];
  expiresAt: number;
  revokedAt: number | null;
  isOwnerDisabled: boolean;
  tokenHash: string | null;
  rateLimitPerMinute: number;
  /** the signing secret of a signed-mode grant, decrypted on demand */
  secret: () => string | null;
}

export interface Verified {
  ok: true;
  grant: GrantRecord;
  params: ViewerParams;
  /** a signed token's exp (ms); null for link tokens */
  tokenExpiresAt: number | null;
}

export interface Refused {
  ok: false;
  reason: RefusalReason;
  /** for the audit log and the JSON error; never contains the token */
  message: string;
  /** set once the token proved it belongs to the grant */
  grant: GrantRecord | null;
  /** when the grant or token expired (ms), for "expired on …" */
  expiredAt?: number;
}

export interface VerifyContext {
  /** the link-token key derived from the current secret key */
  linkKey: Buffer;
  now: number;
  loadGrant: (id: string) => Promise<GrantRecord | null>;
}

const refuse = (
  reason: RefusalReason,
  message: string,
  grant: GrantRecord | null = null,
  expiredAt?: number,
): Refused => ({ ok: false, reason, message, grant, ...(expiredAt !== undefined ? { expiredAt } : {}) });

/** Revoked, owner disabled or past its expiry: the same answer on every request. */
export function grantState(grant: GrantRecord, now: number): Refused | null {
  if (grant.revokedAt !== null) return refuse("revoked", "the grant was revoked", grant);
  if (grant.isOwnerDisabled) return refuse("disabled", "the grant's owner is disabled", grant);
  if (now >= grant.expiresAt) return refuse("expired", "the grant expired", grant, grant.expiresAt);
  return null;
}

/** Per-viewer parameters a signed token may carry; anything else makes the token invalid. */
export const viewerParamsSchema = z
  .object({
    site: z.string().min(1).max(100).optional(),
    kind: z.enum(SITE_KINDS).optional(),
    label: z.string().min(1).max(300).optional(),
    range: z.enum(EMBED_RANGES).optional(),
  })
  .strict();

const GRANT_ID = /^[a-z0-9]{8,64}$/;

async function verifyLink(token: string, ctx: VerifyContext): Promise<Verified | Refused> {
  const read = readLinkToken(ctx.linkKey, token);
  // Also what a token signed before a key rotation gets: its MAC no longer matches.
  if (!read) return refuse("invalid", "link token malformed or not signed with the current key");
  const grant = await ctx.loadGrant(read.grantId);
  if (grant?.mode !== "link") return refuse("invalid", "no link-mode grant for this token");
  if (!matchesHash(token, grant.tokenHash)) return refuse("invalid", "link token was replaced");
  return grantState(grant, ctx.now) ?? { ok: true, grant, params: {}, tokenExpiresAt: null };
}

function audienceOk(aud: unknown): boolean {
  if (typeof aud === "string") return aud === EMBED_AUDIENCE;
  return Array.isArray(aud) && aud.includes(EMBED_AUDIENCE);
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

async function verifySigned(token: string, ctx: VerifyContext): Promise<Verified | Refused> {
  const decoded = decodeJws(token);
  if ("error" in decoded)
    return refuse(
      "invalid",
      decoded.error === "unsupported-alg" ? "only HS256 is accepted" : "malformed token",
    );
  const { header, payload } = decoded;
  const claimed = payload.grant;
  const id = header.kid ?? (typeof claimed === "string" ? claimed : undefined);
  if (!id || !GRANT_ID.test(id)) return refuse("invalid", "the token names no grant (grant claim or kid)");
  if (typeof claimed !== "string" || claimed !== id)
    return refuse("invalid", "the grant claim is missing or differs from kid");
  const grant = await ctx.loadGrant(id);
  if (grant?.mode !== "signed") return refuse("invalid", "no signed-mode grant with this id");
  const secret = grant.secret();
  if (!secret || !verifyHs256(decoded, secret)) return refuse("invalid", "signature does not verify");
  // From here on the token is the portal's: its claims are checked, and the grant's state may be told.
  if (!audienceOk(payload.aud)) return refuse("invalid", `aud must be "${EMBED_AUDIENCE}"`, grant);
  const nowS = ctx.now / 1000;
  const { exp, iat, nbf } = payload;
  if (!isNumber(exp)) return refuse("invalid", "exp is required", grant);
  if (iat !== undefined && !isNumber(iat)) return refuse("invalid", "iat must be a number", grant);
  if (nbf !== undefined && !isNumber(nbf)) return refuse("invalid", "nbf must be a number", grant);
  if (isNumber(iat) && iat > nowS + CLOCK_SKEW_SECONDS)
    return refuse("invalid", "iat is in the future", grant);
  if (isNumber(nbf) && nbf > nowS + CLOCK_SKEW_SECONDS)
    return refuse("invalid", "not valid yet (nbf)", grant);
  if (exp - nowS > SIGNED_TOKEN_MAX_SECONDS + CLOCK_SKEW_SECONDS)
    return refuse("invalid", `signed tokens may live at most ${SIGNED_TOKEN_MAX_SECONDS / 60} min`, grant);
  if (isNumber(iat) && exp - iat > SIGNED_TOKEN_MAX_SECONDS)
    return refuse(
      "invalid",
      `signed tokens may live at most ${SIGNED_TOKEN_MAX_SECONDS / 60} min (exp − iat)`,
      grant,
    );
  const state = grantState(grant, ctx.now);
  if (state) return state;
  if (nowS >= exp) return refuse("token-expired", "the signed token expired", grant, exp * 1000);
  const params = viewerParamsSchema.safeParse(payload.params ?? {});
  if (!params.success) {
    const issue = params.error.issues[0];
    const where = issue?.path.length ? `params.${issue.path.join(".")}` : "params";
    return refuse("invalid", `${where}: ${issue?.message ?? "invalid"}`, grant);
  }
  return { ok: true, grant, params: params.data, tokenExpiresAt: exp * 1000 };
}

export function verifyEmbedToken(token: string, ctx: VerifyContext): Promise<Verified | Refused> {
  return isLinkToken(token) ? verifyLink(token, ctx) : verifySigned(token, ctx);
}
