import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { addressKey } from "@/lib/net/address";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { isRole, ROLES, type Role } from "./roles";
import type { userCreateSchema, userUpdateSchema } from "./schemas";
import { API_TOKEN_PREFIX, sha256 } from "./session";
import { decide, throttleKeys, throttlePolicy } from "./throttle";
import { databaseThrottleStore, type ThrottleStore } from "./throttle-store";

export interface UserView {
  id: string;
  username: string;
  role: Role;
  isDisabled: boolean;
  createdAt: string;
}

let store: ThrottleStore | undefined;

/** The throttle's state; tests may swap in another store. */
export function loginThrottleStore(replacement?: ThrottleStore): ThrottleStore {
  if (replacement) store = replacement;
  store ??= databaseThrottleStore();
  return store;
}

/** The key a username is unique under: NFC, lower case. */
export function usernameKey(username: string): string {
  return username.normalize("NFC").toLowerCase();
}

function view(u: {
  id: string;
  username: string;
  role: string;
  isDisabled: boolean;
  createdAt: Date;
}): UserView {
  return {
    id: u.id,
    username: u.username,
    role: isRole(u.role) ? u.role : "viewer",
    isDisabled: u.isDisabled,
    createdAt: u.createdAt.toISOString(),
  };
}

/**
 * Checks a password sign-in from `address` (lib/api/request.ts clientAddress): throttled
 * per address, per account+address and per account (lib/auth/throttle.ts), without ever
 * holding back the owner at an address they signed in from before. Old hashes are
 * upgraded to today's scrypt cost on success.
 */
export async function verifyLogin(username: string, password: string, address: string, now = Date.now()) {
  const policy = throttlePolicy(env().OUTPOST_LOGIN_MAX_ATTEMPTS);
  const keys = throttleKeys(username, addressKey(address));
  const throttle = loginThrottleStore();
  const user = await db().user.findUnique({ where: { usernameKey: usernameKey(username) } });
  const isKnown = user ? await throttle.isKnownAddress(user.id, addressKey(address)) : false;
  const decision = decide(await throttle.read(keys), isKnown, policy, now);
  if (!decision.isAllowed) {
    const wait = decision.retryAfterSeconds;
    const when = wait < 90 ? `${wait} s` : `${Math.ceil(wait / 60)} min`;
    throw new AppError("rate_limited", `Too many failed sign-ins; try again in ${when}`, {
      retryAfterSeconds: wait,
    });
  }
  const isValid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !isValid || user.isDisabled) {
    await throttle.fail(keys, policy, now);
    throw new AppError("unauthenticated", "Wrong username or password");
  }
  await throttle.succeed(keys);
  await throttle.rememberAddress(user.id, addressKey(address), now);
  if (needsRehash(user.passwordHash)) {
    await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  }
  return user;
}

/** A user changes their own password: the current one is required, other sessions end. */
export async function changeOwnPassword(
  userId: string,
  keepSessionId: string | null,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await db().user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("not_found", "User not found");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("validation_failed", "The current password is wrong", {
      issues: [{ path: "currentPassword", message: "is wrong" }],
    });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError("validation_failed", "The new password is the current one", {
      issues: [{ path: "newPassword", message: "must differ from the current password" }],
    });
  }
  await db().user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword) },
  });
  await db().session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  });
}

export async function listUsers(): Promise<UserView[]> {
  return (await db().user.findMany({ orderBy: { username: "asc" } })).map(view);
}

export async function createUser(input: z.output<typeof userCreateSchema>): Promise<UserView> {
  if (await db().user.findUnique({ where: { usernameKey: usernameKey(input.username) } })) {
    throw new AppError("conflict", `User "${input.username}" already exists`, {
      issues: [{ path: "username", message: "already taken" }],
    });
  }
  const row = await db().user.create({
    data: {
      username: input.username,
      usernameKey: usernameKey(input.username),
      role: input.role,
      passwordHash: await hashPassword(input.password),
    },
  });
  return view(row);
}

async function activeAdminCount(excludingId: string): Promise<number> {
  return db().user.count({ where: { role: "admin", isDisabled: false, id: { not: excludingId } } });
}

export async function updateUser(
  id: string,
  actorId: string,
  input: z.output<typeof userUpdateSchema>,
): Promise<UserView> {
  const user = await db().user.findUnique({ where: { id } });
  if (!user) throw new AppError("not_found", "User not found");
  const losesAdmin =
    user.role === "admin" && ((input.role && input.role !== "admin") || input.isDisabled === true);
  if (losesAdmin && (await activeAdminCount(id)) === 0) {
    throw new AppError("conflict", "This is the last active admin; make another admin first");
  }
  if (id === actorId && input.isDisabled) throw new AppError("conflict", "You cannot disable yourself");
  const row = await db().user.update({
    where: { id },
    data: {
      ...(input.role ? { role: input.role } : {}),
      ...(input.isDisabled !== undefined ? { isDisabled: input.isDisabled } : {}),
      ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
    },
  });
  // A demotion, a new password or a disable ends existing sessions; a promotion or re-enable does not need to.
  const isDemoted = input.role !== undefined && ROLES.indexOf(input.role) < ROLES.indexOf(user.role as Role);
  if (isDemoted || input.password || input.isDisabled === true)
    await db().session.deleteMany({ where: { userId: id } });
  return view(row);
}

export async function deleteUser(id: string, actorId: string): Promise<void> {
  if (id === actorId) throw new AppError("conflict", "You cannot delete yourself");
  const user = await db().user.findUnique({ where: { id } });
  if (!user) throw new AppError("not_found", "User not found");
  if (user.role === "admin" && (await activeAdminCount(id)) === 0)
    throw new AppError("conflict", "This is the last admin");
  await db().user.delete({ where: { id } });
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  username: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function createApiToken(
  userId: string,
  userRole: Role,
  input: { name: string; role: Role; expiresInDays: number | null },
): Promise<{ token: string; view: TokenView }> {
  if (input.role === "admin" && userRole !== "admin")
    throw new AppError("forbidden", "A token cannot outrank its owner");
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db().apiToken.create({
    data: {
      name: input.name,
      userId,
      role: input.role,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    },
    include: { user: true },
  });
  return { token, view: tokenView(row) };
}

function tokenView(t: {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { username: string };
}): TokenView {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: isRole(t.role) ? t.role : "viewer",
    username: t.user.username,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(): Promise<TokenView[]> {
  return (await db().apiToken.findMany({ include: { user: true }, orderBy: { createdAt: "desc" } })).map(
    tokenView,
  );
}

export async function revokeApiToken(id: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "Token not found or already revoked");
}

/**
 * First start: create the admin. The password comes from OUTPOST_ADMIN_PASSWORD
 * or is generated and printed once; it is never stored in clear.
 */
export async function ensureFirstAdmin(): Promise<void> {
  if ((await db().user.count()) > 0) return;
  const e = env();
  const password = e.OUTPOST_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  await db().user.create({
    data: {
      username: e.OUTPOST_ADMIN_USERNAME,
      usernameKey: usernameKey(e.OUTPOST_ADMIN_USERNAME),
      role: "admin",
      passwordHash: await hashPassword(password),
    },
  });
  if (!e.OUTPOST_ADMIN_PASSWORD) {
    // Printed once, on purpose outside the structured log (which redacts passwords).
    process.stdout.write(
      `\n  Outpost first admin created.\n  username: ${e.OUTPOST_ADMIN_USERNAME}\n  password: ${password}\n  (shown once; change it under Settings → Users)\n\n`,
    );
  }
  log.info("first admin created", { username: e.OUTPOST_ADMIN_USERNAME });
}
