import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as login from "@/app/api/auth/login/route";
import * as preview from "@/app/api/embed-grants/preview/route";
import * as site from "@/app/api/sites/[id]/route";
import * as sites from "@/app/api/sites/route";
import * as token from "@/app/api/tokens/[id]/route";
import * as tokens from "@/app/api/tokens/route";
import * as users from "@/app/api/users/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";

const ADMIN_PASSWORD = "admin-password-for-tests";
let cleanup: () => Promise<void>;
let adminCookie: string;

beforeAll(async () => {
  cleanup = (
    await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD, OUTPOST_LOGIN_MAX_ATTEMPTS: "3" })
  ).cleanup;
  await ensureFirstAdmin();
  const res = await call(login.POST, "POST", { body: { username: "admin", password: ADMIN_PASSWORD } });
  expect(res.status).toBe(200);
  adminCookie = sessionCookieFrom(res);
});
afterAll(() => cleanup());

async function loginAs(username: string, password: string) {
  return sessionCookieFrom(await call(login.POST, "POST", { body: { username, password } }));
}

describe("API auth, validation and errors", () => {
  it("answers 401 without credentials and 403 for a role that is too low", async () => {
    expect((await call(sites.GET, "GET")).status).toBe(401);
    const created = await call(users.POST, "POST", {
      cookie: adminCookie,
      body: { username: "vera", password: "viewer-password-1", role: "viewer" },
    });
    expect(created.status).toBe(200);
    const viewer = await loginAs("vera", "viewer-password-1");
    expect((await call(sites.GET, "GET", { cookie: viewer })).status).toBe(200);
    const denied = await call(sites.POST, "POST", { cookie: viewer, body: { name: "x", kind: "store" } });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe("forbidden");
    expect((await call(users.GET, "GET", { cookie: viewer })).status).toBe(403);
  });

  it("answers 422 naming every bad field", async () => {
    const res = await call(sites.POST, "POST", {
      cookie: adminCookie,
      body: { name: "", kind: "boat", latitude: 91 },
    });
    expect(res.status).toBe(422);
    const paths = res.json.error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual(["kind", "latitude", "name"]);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await call(sites.POST, "POST", { cookie: adminCookie, body: "{nope" });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("not valid JSON");
  });

  it("answers JSON with a CSP that loads and frames nothing; a document of its own keeps its CSP", async () => {
    const none = "default-src 'none'; frame-ancestors 'none'";
    expect(
      (await call(sites.GET, "GET", { cookie: adminCookie })).headers.get("content-security-policy"),
    ).toBe(none);
    expect((await call(sites.GET, "GET")).headers.get("content-security-policy")).toBe(none);
    // The embed preview is an HTML page Outpost frames itself (the proxy used to overwrite this).
    const page = await call(preview.GET, "GET", {
      cookie: adminCookie,
      query: { kind: "fleet-strip", theme: "light" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'nonce-/);
  });

  it("refuses cookie-authenticated writes from another origin or with no origin", async () => {
    const body = { name: "Evil", kind: "store" };
    expect(
      (await call(sites.POST, "POST", { cookie: adminCookie, body, origin: "http://evil.example" })).status,
    ).toBe(403);
    expect((await call(sites.POST, "POST", { cookie: adminCookie, body, origin: null })).status).toBe(403);
    expect((await call(sites.POST, "POST", { cookie: adminCookie, body })).status).toBe(200);
  });

  it("creates, updates and deletes a site; 404 for unknown ids", async () => {
    const created = await call(sites.POST, "POST", {
      cookie: adminCookie,
      body: {
        name: "Tienda Sevilla 4",
        kind: "store",
        latitude: 37.38,
        longitude: -5.98,
        labels: { region: "south" },
      },
    });
    expect(created.json.site.slug).toBe("tienda-sevilla-4");
    const id = created.json.site.id;
    const updated = await call(site.PUT, "PUT", {
      cookie: adminCookie,
      params: { id },
      body: {
        name: "Tienda Sevilla 4",
        kind: "store",
        contactMode: "intermittent",
        expectedOfflineWindows: [{ start: "22:00", end: "06:00", timeZone: "Europe/Madrid" }],
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.site.expectedOfflineWindows).toHaveLength(1);
    const hot = await call(site.PUT, "PUT", {
      cookie: adminCookie,
      params: { id },
      body: { name: "Tienda Sevilla 4", kind: "store", tempWarnCelsius: 75 },
    });
    expect(hot.json.site.tempWarnCelsius).toBe(75);
    const badSource = await call(site.PUT, "PUT", {
      cookie: adminCookie,
      params: { id },
      body: { name: "Tienda Sevilla 4", kind: "store", dataSourceId: "nope" },
    });
    expect(badSource.status).toBe(422);
    expect(badSource.json.error.issues[0].path).toBe("dataSourceId");
    const list = await call(sites.GET, "GET", { cookie: adminCookie, query: { q: "sevilla" } });
    expect(list.json.items.map((s: { id: string }) => s.id)).toContain(id);
    expect((await call(site.DELETE, "DELETE", { cookie: adminCookie, params: { id } })).status).toBe(200);
    expect((await call(site.GET, "GET", { cookie: adminCookie, params: { id } })).status).toBe(404);
  });

  it("pages sites with a keyset cursor", async () => {
    for (let i = 0; i < 5; i++)
      await call(sites.POST, "POST", {
        cookie: adminCookie,
        body: { name: `Page site ${i}`, kind: "vehicle" },
      });
    const first = await call(sites.GET, "GET", {
      cookie: adminCookie,
      query: { kind: "vehicle", limit: "2" },
    });
    expect(first.json.items).toHaveLength(2);
    expect(first.json.total).toBe(5);
    const second = await call(sites.GET, "GET", {
      cookie: adminCookie,
      query: { kind: "vehicle", limit: "2", cursor: first.json.nextCursor },
    });
    expect(second.json.items[0].name).toBe("Page site 2");
    // Deleting the row a cursor points after does not end paging.
    await call(site.DELETE, "DELETE", { cookie: adminCookie, params: { id: first.json.items[1].id } });
    const again = await call(sites.GET, "GET", {
      cookie: adminCookie,
      query: { kind: "vehicle", limit: "2", cursor: first.json.nextCursor },
    });
    expect(again.json.items.map((s: { name: string }) => s.name)).toEqual(["Page site 2", "Page site 3"]);
    expect((await call(sites.GET, "GET", { cookie: adminCookie, query: { cursor: "garbage" } })).status).toBe(
      422,
    );
  });

  it("issues API tokens shown once, stored hashed, usable and revocable", async () => {
    const created = await call(tokens.POST, "POST", {
      cookie: adminCookie,
      body: { name: "ci", role: "viewer", expiresInDays: 1 },
    });
    expect(created.status).toBe(200);
    const raw: string = created.json.token;
    expect(raw).toMatch(/^opt_/);
    const listed = await call(tokens.GET, "GET", { cookie: adminCookie });
    expect(listed.text).not.toContain(raw);
    expect((await call(sites.GET, "GET", { bearer: raw })).status).toBe(200);
    expect((await call(sites.POST, "POST", { bearer: raw, body: { name: "t", kind: "store" } })).status).toBe(
      403,
    );
    // Token auth needs no Origin: a bearer token is not ambient like a cookie.
    const admin = await call(tokens.POST, "POST", {
      cookie: adminCookie,
      body: { name: "automation", role: "admin", expiresInDays: null },
    });
    const automated = await call(sites.POST, "POST", {
      bearer: admin.json.token,
      origin: null,
      body: { name: "Via token", kind: "store" },
    });
    expect(automated.status).toBe(200);
    expect(
      (await call(token.DELETE, "DELETE", { cookie: adminCookie, params: { id: created.json.item.id } }))
        .status,
    ).toBe(200);
    expect((await call(sites.GET, "GET", { bearer: raw })).status).toBe(401);
  });

  it("rate-limits repeated failed logins", async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(login.POST, "POST", { body: { username: "admin", password: "wrong-password!" } })).status,
      ).toBe(401);
    }
    const blocked = await call(login.POST, "POST", { body: { username: "admin", password: ADMIN_PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
