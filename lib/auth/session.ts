import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { isRole, minRole, type Role } from "./roles";

/** The session cookie on plain http (development, a LAN without TLS). */
export const SESSION_COOKIE = "outpost_session";
/**
 * Over https: the __Host- prefix makes browsers insist on Secure, Path=/ and no Domain,
 * so a sibling subdomain cannot plant or overwrite it.
 */
export const SECURE_SESSION_COOKIE = "__Host-outpost_session";

export function sessionCookieName(isSecure: boolean): string {
  return isSecure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session cookie a request carries; over https only the __Host- one counts. */
export function sessionCookieFrom(
  get: (name: string) => string | undefined,
  isSecure: boolean,
): string | undefined {
  return get(SECURE_SESSION_COOKIE) ?? (isSecure ? undefined : get(SESSION_COOKIE));
}

/** Secure cookies: configured so, or this request came over https. */
export function isSecureSession(isHttps: boolean): boolean {
  return env().OUTPOST_SECURE_COOKIES || isHttps;
}
export const API_TOKEN_PREFIX = "opt_";

export interface Actor {
  kind: "session" | "token";
  userId: string;
  username: string;
  role: Role;
  /** the session or token id, for audit and revocation */
  credentialId: string;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export async function createSession(userId: string): Promise<{ cookieValue: string; expiresAt: Date }> {
  const cookieValue = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + env().OUTPOST_SESSION_HOURS * 3600_000);
  await db().session.create({ data: { id: sha256(cookieValue), userId, expiresAt } });
  return { cookieValue, expiresAt };
}

export async function destroySession(cookieValue: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sha256(cookieValue) } });
}

export async function actorFromSessionCookie(cookieValue: string | undefined): Promise<Actor | null> {
  if (!cookieValue) return null;
  const session = await db().session.findUnique({
    where: { id: sha256(cookieValue) },
    include: { user: true },
  });
  if (
    !session ||
    session.expiresAt.getTime() <= Date.now() ||
    session.user.isDisabled ||
    !isRole(session.user.role)
  ) {
    return null;
  }
  return {
    kind: "session",
    userId: session.userId,
    username: session.user.username,
    role: session.user.role,
    credentialId: session.id,
  };
}

export async function actorFromBearer(header: string | null): Promise<Actor | null> {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  if (!m?.[1]?.startsWith(API_TOKEN_PREFIX)) return null;
  const token = await db().apiToken.findUnique({
    where: { tokenHash: sha256(m[1]) },
    include: { user: true },
  });
  const now = Date.now();
  if (
    !token ||
    token.revokedAt ||
    (token.expiresAt && token.expiresAt.getTime() <= now) ||
    token.user.isDisabled
  )
    return null;
  if (!isRole(token.role) || !isRole(token.user.role)) return null;
  // A token never outranks its owner as the owner is now: demoting the owner demotes the token.
  const role = minRole(token.role, token.user.role);
  // Only touch lastUsedAt once a minute: automation may call many times a second.
  if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "token", userId: token.userId, username: token.user.username, role, credentialId: token.id };
}

/** For server components and server actions. */
export async function currentActor(): Promise<Actor | null> {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  // Next fills x-forwarded-proto from the socket; a client claiming https only loses its plain cookie.
  const isSecure = isSecureSession(h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https");
  return actorFromSessionCookie(sessionCookieFrom((n) => jar.get(n)?.value, isSecure));
}

export function sessionCookie(expiresAt: Date, isHttps: boolean) {
  const secure = isSecureSession(isHttps);
  return {
    name: sessionCookieName(secure),
    options: { httpOnly: true, sameSite: "lax" as const, secure, path: "/", expires: expiresAt },
  };
}
