import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Link-mode tokens: `oel_<grantId>.<nonce>.<mac>`. The MAC is keyed with a key
// derived from the server's current secret key, so rotating that key kills
// every link token at once (metabase#10388: old URLs kept working after the
// secret was regenerated). The database keeps only sha256(token), so a
// database dump cannot be replayed and reissuing a link kills the old one.

export const LINK_TOKEN_PREFIX = "oel_";
const MAC_CONTEXT = "outpost-embed-link-v1";
const ID = /^[a-z0-9]{8,64}$/;
const PART = /^[A-Za-z0-9_-]{16,128}$/;

function mac(key: Buffer, grantId: string, nonce: string): Buffer {
  return createHmac("sha256", key).update(`${MAC_CONTEXT}.${grantId}.${nonce}`).digest();
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function isLinkToken(token: string): boolean {
  return token.startsWith(LINK_TOKEN_PREFIX);
}

export function createLinkToken(key: Buffer, grantId: string): { token: string; hash: string } {
  const nonce = randomBytes(18).toString("base64url");
  const token = `${LINK_TOKEN_PREFIX}${grantId}.${nonce}.${mac(key, grantId, nonce).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/**
 * The grant id of a well-formed token whose MAC matches the current key; null
 * otherwise. Forgeries are refused here, before any database lookup.
 */
export function readLinkToken(key: Buffer, token: string): { grantId: string } | null {
  if (!isLinkToken(token) || token.length > 256) return null;
  const parts = token.slice(LINK_TOKEN_PREFIX.length).split(".");
  if (parts.length !== 3) return null;
  const [grantId, nonce, sig] = parts as [string, string, string];
  if (!ID.test(grantId) || !PART.test(nonce) || !PART.test(sig)) return null;
  const given = Buffer.from(sig, "base64url");
  const expected = mac(key, grantId, nonce);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { grantId };
}

/** Constant-time check of a presented token against the stored hash. */
export function matchesHash(token: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
