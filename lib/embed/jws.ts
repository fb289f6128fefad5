import { createHmac, timingSafeEqual } from "node:crypto";

// Compact JWS with HS256 only (RFC 7515 / 7518), on node:crypto. Signed-mode
// embed tokens are made by a portal's backend with the grant's own secret;
// anything that is not exactly HS256 is refused before a key is touched, so
// "alg: none" and algorithm-confusion tricks have nothing to work with.

export interface JwsHeader {
  alg: "HS256";
  typ?: string;
  kid?: string;
}

export type JwsDecodeError = "malformed" | "unsupported-alg";

export interface DecodedJws {
  header: JwsHeader;
  payload: Record<string, unknown>;
  /** the bytes the signature covers: "<header>.<payload>" as sent */
  signingInput: string;
  signature: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
/** Longer than any legitimate embed token; parsing stops here. */
export const MAX_TOKEN_LENGTH = 4_096;

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function parseJsonPart(part: string): Record<string, unknown> | null {
  if (!B64URL.test(part)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Splits and decodes without verifying; callers must call verifyHs256 before trusting anything. */
export function decodeJws(token: string): DecodedJws | { error: JwsDecodeError } {
  if (token.length > MAX_TOKEN_LENGTH) return { error: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "malformed" };
  const [h, p, s] = parts as [string, string, string];
  const header = parseJsonPart(h);
  const payload = parseJsonPart(p);
  if (!header || !payload || !B64URL.test(s) || s.length === 0) return { error: "malformed" };
  if (header.alg !== "HS256") return { error: "unsupported-alg" };
  if (header.crit !== undefined) return { error: "unsupported-alg" };
  if (header.kid !== undefined && typeof header.kid !== "string") return { error: "malformed" };
  return {
    header: header as unknown as JwsHeader,
    payload,
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, "base64url"),
  };
}

export function hs256(key: Buffer | string, input: string): Buffer {
  return createHmac("sha256", key).update(input).digest();
}

/** Constant-time comparison of the token's signature with ours. */
export function verifyHs256(decoded: DecodedJws, key: Buffer | string): boolean {
  const expected = hs256(key, decoded.signingInput);
  return decoded.signature.length === expected.length && timingSafeEqual(decoded.signature, expected);
}

/** What a portal's backend does (and tests): header + claims → compact token. */
export function signHs256(
  payload: Record<string, unknown>,
  key: Buffer | string,
  header: Omit<JwsHeader, "alg"> = {},
): string {
  const input = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT", ...header }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(hs256(key, input))}`;
}
