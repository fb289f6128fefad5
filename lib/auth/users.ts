import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password";
import { createRateLimiter } from "./rate-limit";
import { isRole, ROLES, type Role } from "./roles";
import type { userCreateSchema, userUpdateSchema } from "./schemas";
import { API_TOKEN_PREFIX, sha256 } from "./session";

export interface UserView {
  id: string;
  username: string;
  role: Role;
  isDisabled: boolean;
  createdAt: string;
}

const LOGIN_WINDOW_MS = 15 * 60_000;
type Limiter = ReturnType<typeof createRateLimiter>;
const globalForLimits = globalThis as unknown as {
  outpostLoginLimiters?: { perUser: Limiter; perAddress: Limiter };
};

// Per user+address catches guessing one account; the looser per-address limit
// catches spraying many accounts without locking out a whole control room behind one NAT.
function loginLimiters() {
  const max = env().OUTPOST_LOGIN_MAX_ATTEMPTS;
  globalForLimits.outpostLoginLimiters ??= {
    perUser: createRateLimiter(max, LOGIN_WINDOW_MS),
    perAddress: createRateLimiter(max * 5, LOGIN_WINDOW_MS),
  };
  return globalForLimits.outpostLoginLimiters;
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

/** Checks a password login; throttled per username+address and per address. */
export async function verifyLogin(username: string, password: string, clientIp: string) {
  const userKey = `${username.toLowerCase()}|${clientIp}`;
  const { perUser, perAddress } = loginLimiters();
  const wait = perUser.blockedFor(userKey) ?? perAddress.blockedFor(clientIp);
  if (wait) {
    throw new AppError("rate_limited", `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} min`, {
      retryAfterSeconds: wait,
    });
  }
  const user = await db().user.findUnique({ where: { username } });
  const isValid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !isValid || user.isDisabled) {
    perUser.fail(userKey);
    perAddress.fail(clientIp);
    throw new AppError("unauthenticated", "Wrong username or password");
  }
  perUser.reset(userKey);
  return user;
}

export async function listUsers(): Promise<UserView[]> {
  return (await db().user.findMany({ orderBy: { username: "asc" } })).map(view);
}

export async function createUser(input: z.output<typeof userCreateSchema>): Promise<UserView> {
  if (await db().user.findUnique({ where: { username: input.username } })) {
    throw new AppError("conflict", `User "${input.username}" already exists`, {
      issues: [{ path: "username", message: "already taken" }],
    });
  }
  const row = await db().user.create({
    data: { username: input.username, role: input.role, passwordHash: await hashPassword(input.password) },
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
    data: { username: e.OUTPOST_ADMIN_USERNAME, role: "admin", passwordHash: await hashPassword(password) },
  });
  if (!e.OUTPOST_ADMIN_PASSWORD) {
    // Printed once, on purpose outside the structured log (which redacts passwords).
    process.stdout.write(
      `\n  Outpost first admin created.\n  username: ${e.OUTPOST_ADMIN_USERNAME}\n  password: ${password}\n  (shown once; change it under Settings → Users)\n\n`,
    );
  }
  log.info("first admin created", { username: e.OUTPOST_ADMIN_USERNAME });
}
