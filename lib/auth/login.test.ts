import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as login from "@/app/api/auth/login/route";
import { clientAddress, PEER_HEADER } from "@/lib/api/request";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { call } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { databaseThrottleStore } from "./throttle-store";
import { createUser, ensureFirstAdmin, loginThrottleStore } from "./users";

const PASSWORD = "owner-password-123";
let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: PASSWORD, OUTPOST_LOGIN_MAX_ATTEMPTS: "3" }))
    .cleanup;
  await ensureFirstAdmin();
});
afterAll(() => cleanup());

const from = (address: string, body: unknown) =>
  call(login.POST, "POST", { body, headers: { [PEER_HEADER]: address } });

function requestFrom(peer: string, xff?: string): NextRequest {
  const headers = new Headers({ [PEER_HEADER]: peer });
  if (xff) headers.set("x-forwarded-for", xff);
  return new NextRequest("http://outpost.test/api/auth/login", { headers });
}

describe("client address", () => {
  it("is the socket peer without trusted proxies, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(requestFrom("203.0.113.9", "1.2.3.4"))).toBe("203.0.113.9");
  });

  it("behind a trusted proxy is the right-most hop that is not ours", () => {
    process.env.OUTPOST_TRUST_PROXY = "10.0.0.0/8";
    resetEnvForTests();
    try {
      // The client put 1.2.3.4 in front itself; our proxies 10.0.0.2 and 10.0.0.1 appended the real one.
      expect(clientAddress(requestFrom("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2"))).toBe("198.51.100.7");
      // A client that connects directly cannot borrow the proxy's trust.
      expect(clientAddress(requestFrom("198.51.100.8", "10.0.0.3"))).toBe("198.51.100.8");
    } finally {
      delete process.env.OUTPOST_TRUST_PROXY;
      resetEnvForTests();
    }
  });
});

describe("login throttling", () => {
  it("locks an account for strangers but never for its owner at a known address", async () => {
    expect((await from("192.0.2.10", { username: "admin", password: PASSWORD })).status).toBe(200);
    // An attacker rotating addresses: each address stays under its own limits, the account backs off.
    for (let i = 0; i < 3; i++)
      expect((await from(`198.51.100.${i}`, { username: "admin", password: "guess-password" })).status).toBe(
        401,
      );
    const stranger = await from("198.51.100.99", { username: "admin", password: PASSWORD });
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, from where they signed in before, gets in.
    expect((await from("192.0.2.10", { username: "admin", password: PASSWORD })).status).toBe(200);
  });

  it("counts one client's guesses against one account, even from a known address", async () => {
    await createUser({ username: "olga", password: PASSWORD, role: "operator" });
    expect((await from("192.0.2.20", { username: "olga", password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await from("192.0.2.20", { username: "olga", password: "guess-password" })).status).toBe(401);
    expect((await from("192.0.2.20", { username: "olga", password: PASSWORD })).status).toBe(429);
  });

  it("keeps its state in the database: another instance's store sees the same lock", async () => {
    await createUser({ username: "pia", password: PASSWORD, role: "viewer" });
    for (let i = 0; i < 3; i++) await from("198.51.100.50", { username: "pia", password: "guess-password" });
    const before = loginThrottleStore();
    try {
      loginThrottleStore(databaseThrottleStore()); // a fresh store, as a second instance would have
      expect((await from("198.51.100.50", { username: "pia", password: PASSWORD })).status).toBe(429);
      expect(await db().loginThrottle.count({ where: { key: { contains: "pia" } } })).toBeGreaterThan(0);
    } finally {
      loginThrottleStore(before);
    }
  });

  it("treats usernames case-insensitively, and rehashes old password hashes on success", async () => {
    const user = await db().user.findFirstOrThrow({ where: { username: "admin" } });
    // Store a hash made with a lower cost than today's, as earlier Outpost versions wrote.
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = scryptSync(PASSWORD.normalize("NFKC"), salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    const old = ["scrypt", 2 ** 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    await db().user.update({ where: { id: user.id }, data: { passwordHash: old } });
    expect((await from("192.0.2.10", { username: "ADMIN", password: PASSWORD })).status).toBe(200);
    const after = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    // Rehashed at today's cost (in this runner: OUTPOST_TEST_SCRYPT_N, see vitest.config.ts).
    expect(after.passwordHash.split("$")[1]).toBe(process.env.OUTPOST_TEST_SCRYPT_N);
    expect((await from("192.0.2.10", { username: "admin", password: PASSWORD })).status).toBe(200);
    await expect(createUser({ username: "ADMIN", password: PASSWORD, role: "viewer" })).rejects.toMatchObject(
      {
        code: "conflict",
        issues: [{ path: "username", message: "already taken" }],
      },
    );
  });
});

describe("own password and tokens", () => {
  it("lets a user change their own password: current one required, other sessions end", async () => {
    const { sessionCookieFrom } = await import("@/lib/testing/api-client");
    const me = await import("@/app/api/auth/me/route");
    const password = await import("@/app/api/auth/password/route");
    await createUser({ username: "vera", password: PASSWORD, role: "viewer" });
    const here = sessionCookieFrom(await from("192.0.2.30", { username: "vera", password: PASSWORD }));
    const elsewhere = sessionCookieFrom(await from("192.0.2.31", { username: "vera", password: PASSWORD }));
    const wrong = await call(password.POST, "POST", {
      cookie: here,
      body: { currentPassword: "not-my-password", newPassword: "a-brand-new-password" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.issues[0].path).toBe("currentPassword");
    const short = await call(password.POST, "POST", {
      cookie: here,
      body: { currentPassword: PASSWORD, newPassword: "short" },
    });
    expect(short.status).toBe(422);
    expect(short.json.error.issues[0].path).toBe("newPassword");
    const ok = await call(password.POST, "POST", {
      cookie: here,
      body: { currentPassword: PASSWORD, newPassword: "a-brand-new-password" },
    });
    expect(ok.status).toBe(200);
    expect((await call(me.GET, "GET", { cookie: here })).status).toBe(200);
    expect((await call(me.GET, "GET", { cookie: elsewhere })).status).toBe(401);
    expect((await from("192.0.2.30", { username: "vera", password: PASSWORD })).status).toBe(401);
    expect((await from("192.0.2.30", { username: "vera", password: "a-brand-new-password" })).status).toBe(
      200,
    );
    const audited = await db().auditEvent.findFirst({
      where: { action: "user.password_change", result: "ok" },
    });
    expect(audited).toMatchObject({ result: "ok", actorName: "vera" });
  });

  it("ends API tokens with their owner: disabled or deleted", async () => {
    const me = await import("@/app/api/auth/me/route");
    const { createApiToken, deleteUser, updateUser } = await import("./users");
    const admin = await db().user.findFirstOrThrow({ where: { username: "admin" } });
    const carl = await createUser({ username: "carl", password: PASSWORD, role: "operator" });
    const dana = await createUser({ username: "dana", password: PASSWORD, role: "operator" });
    const t1 = (await createApiToken(carl.id, "operator", { name: "ci", role: "operator", expiresInDays: 1 }))
      .token;
    const t2 = (await createApiToken(dana.id, "operator", { name: "ci", role: "operator", expiresInDays: 1 }))
      .token;
    expect((await call(me.GET, "GET", { bearer: t1 })).status).toBe(200);
    await updateUser(carl.id, admin.id, { isDisabled: true });
    expect((await call(me.GET, "GET", { bearer: t1 })).status).toBe(401);
    await deleteUser(dana.id, admin.id);
    expect((await call(me.GET, "GET", { bearer: t2 })).status).toBe(401);
    expect(await db().apiToken.count({ where: { userId: dana.id } })).toBe(0);
  });
});

describe("session cookie over https", () => {
  it("is __Host- prefixed and Secure, and a plain one planted beside it does not count", async () => {
    const me = await import("@/app/api/auth/me/route");
    const httpsReq = (path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) => {
      const headers = new Headers({
        host: "outpost.test",
        origin: "https://outpost.test",
        [PEER_HEADER]: "192.0.2.10",
      });
      if (init.body) headers.set("content-type", "application/json");
      if (init.cookie) headers.set("cookie", init.cookie);
      return new NextRequest(`https://outpost.test${path}`, {
        method: init.method ?? "GET",
        headers,
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
    };
    const res = await login.POST(
      httpsReq("/api/auth/login", { method: "POST", body: { username: "admin", password: PASSWORD } }),
    );
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-outpost_session=[^;]+;.*Secure/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const value = setCookie.match(/^__Host-outpost_session=([^;]+)/)?.[1] ?? "";
    expect(
      (await me.GET(httpsReq("/api/auth/me", { cookie: `__Host-outpost_session=${value}` }))).status,
    ).toBe(200);
    // The same session under the unprefixed name, as a sibling subdomain could set it: refused over https.
    expect((await me.GET(httpsReq("/api/auth/me", { cookie: `outpost_session=${value}` }))).status).toBe(401);
  });
});
