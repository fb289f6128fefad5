import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as login from "@/app/api/auth/login/route";
import * as dss from "@/app/api/data-sources/route";
import * as data from "@/app/api/embed/[token]/data/route";
import * as events from "@/app/api/embed-grants/[id]/events/route";
import * as reissue from "@/app/api/embed-grants/[id]/reissue/route";
import * as revoke from "@/app/api/embed-grants/[id]/revoke/route";
import * as grantOne from "@/app/api/embed-grants/[id]/route";
import * as preview from "@/app/api/embed-grants/preview/route";
import * as grants from "@/app/api/embed-grants/route";
import * as fleetHealthRoute from "@/app/api/fleet/health/route";
import * as siteTelemetryRoute from "@/app/api/telemetry/site/[id]/route";
import * as users from "@/app/api/users/route";
import * as frame from "@/app/embed/[token]/frame/route";
import * as page from "@/app/embed/[token]/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { clearQueryCache } from "@/lib/influx/client";
import { resetKeysForTests } from "@/lib/secrets/crypto";
import { toLine } from "@/lib/simulator/telemetry/line-protocol";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { createDatabase, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { clearEmbedDataCache } from "./data";
import { forgetAllGrants } from "./grants";
import { signHs256 } from "./jws";
import { EMBED_AUDIENCE } from "./model";
import { resetGrantRates } from "./rate-limit-store";
import { flushUsage, resetUsageForTests } from "./usage";

// Every embed surface over real SQLite and a real InfluxDB: what a grant of
// site A may show, and every way of asking for more, refused with its status.

const ADMIN_PASSWORD = "admin-password-for-tests";
const PORTAL = "https://portal.example.com";
let cleanup: () => Promise<void>;
let influx: InfluxdInstance;
let admin: string;
let operator: string;
let operator2: string;
let viewer: string;

type Route = (req: NextRequest, ctx: { params: Promise<{ token: string }> }) => Promise<Response>;

/** A request as a browser inside a portal's iframe sends it (no cookies unless given). */
async function embed(
  route: Route,
  token: string,
  opts: { query?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const url = new URL(`http://outpost.test/x`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const res = await route(
    new NextRequest(url, { headers: { host: "outpost.test", "sec-fetch-dest": "iframe", ...opts.headers } }),
    { params: Promise.resolve({ token }) },
  );
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  // biome-ignore lint/suspicious/noExplicitAny: assertions read many shapes
  return { status: res.status, headers: res.headers, text, json: json as any };
}

const seen: { headers: Headers }[] = [];
async function track<T extends { headers: Headers }>(p: Promise<T>): Promise<T> {
  const r = await p;
  seen.push(r);
  return r;
}

async function login_(username: string, password: string) {
  return sessionCookieFrom(await call(login.POST, "POST", { body: { username, password } }));
}

async function createUser(username: string, role: string) {
  await call(users.POST, "POST", {
    cookie: admin,
    body: { username, password: `${username}-password-1`, role },
  });
  return login_(username, `${username}-password-1`);
}

async function writeTemp(site: string, host: string, temp: number, agoMs: number) {
  const body = toLine({
    measurement: "temp",
    tags: { site, cluster: "k3s", host, sensor: "cpu_thermal" },
    floats: { temp },
    timeMs: Date.now() - agoMs,
  });
  const res = await fetch(`${influx.url}/write?db=telegraf&precision=ms`, { method: "POST", body });
  expect(res.status).toBe(204);
}

async function newGrant(cookie: string, body: Record<string, unknown>) {
  const res = await call(grants.POST, "POST", { cookie, body: { origins: [PORTAL], ...body } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as {
    grant: { id: string; state: string };
    credential: { type: string; token?: string; secret?: string; url?: string; snippet: string };
  };
}

const logged: string[] = [];

beforeAll(async () => {
  cleanup = (
    await useTempDataDir({
      OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_LOG_LEVEL: "debug",
    })
  ).cleanup;
  // Nothing an embed request does may write its token to a log.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  influx = await startInfluxd();
  await createDatabase(influx.url, "telegraf");
  await ensureFirstAdmin();
  admin = await login_("admin", ADMIN_PASSWORD);
  operator = await createUser("olga", "operator");
  operator2 = await createUser("oscar", "operator");
  viewer = await createUser("vera", "viewer");
  await db().site.createMany({
    data: [
      { slug: "store-a", name: "Store A", kind: "store", labels: JSON.stringify({ region: "north" }) },
      { slug: "store-b", name: "Store B", kind: "store", labels: JSON.stringify({ region: "south" }) },
      { slug: "truck-1", name: "Truck 1", kind: "vehicle" },
    ],
  });
  const ds = await call(dss.POST, "POST", {
    cookie: admin,
    body: { name: "Main", url: influx.url, database: "telegraf", mapping: { sampleSeconds: 10 } },
  });
  expect(ds.status).toBe(200);
  for (const ago of [300_000, 200_000, 100_000, 20_000]) {
    await writeTemp("store-a", "n-alpha", 61.5, ago);
    await writeTemp("store-b", "n-bravo", 44, ago);
  }
});

afterAll(async () => {
  vi.restoreAllMocks();
  await influx?.stop();
  await cleanup?.();
});

beforeEach(async () => {
  await resetGrantRates();
  resetUsageForTests();
  clearQueryCache();
  clearEmbedDataCache();
  forgetAllGrants();
});

describe("grant management", () => {
  it("is for operators and admins; operators see and revoke only their own", async () => {
    expect((await call(grants.GET, "GET", { cookie: viewer })).status).toBe(403);
    expect((await call(grants.POST, "POST", { cookie: viewer, body: { kind: "temperature" } })).status).toBe(
      403,
    );
    expect((await call(grants.GET, "GET")).status).toBe(401);
    const mine = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const theirs = await newGrant(operator2, { kind: "site-status", site: "store-b" });
    const listed = (c: string) =>
      call(grants.GET, "GET", { cookie: c }).then((r) => r.json.items.map((g: { id: string }) => g.id));
    expect(await listed(operator)).toContain(mine.grant.id);
    expect(await listed(operator)).not.toContain(theirs.grant.id);
    expect(await listed(admin)).toEqual(expect.arrayContaining([mine.grant.id, theirs.grant.id]));
    const stolen = await call(revoke.POST, "POST", { cookie: operator, params: { id: theirs.grant.id } });
    expect(stolen.status).toBe(404);
    expect(
      (await call(grantOne.GET, "GET", { cookie: operator, params: { id: theirs.grant.id } })).status,
    ).toBe(404);
    expect((await call(revoke.POST, "POST", { cookie: admin, params: { id: theirs.grant.id } })).status).toBe(
      200,
    );
  });

  it("names every bad field", async () => {
    const bad = await call(grants.POST, "POST", {
      cookie: operator,
      body: {
        kind: "turbine",
        mode: "link",
        site: null,
        origins: ["https://ok.example", "ftp://nope", "https://x.example/path"],
        ranges: ["1h"],
        defaultRange: "7d",
        expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString(),
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "defaultRange",
      "expiresAt",
      "metric",
      "origins.1",
      "origins.2",
      "site",
    ]);
    const noOrigin = await call(grants.POST, "POST", {
      cookie: operator,
      body: { kind: "temperature", site: "store-a", origins: [] },
    });
    expect(noOrigin.status).toBe(422);
    const unknownSite = await call(grants.POST, "POST", {
      cookie: operator,
      body: { kind: "temperature", site: "nowhere", origins: [PORTAL] },
    });
    expect(unknownSite.status).toBe(422);
    expect(unknownSite.json.error.issues[0].path).toBe("site");
    const metric = await call(grants.POST, "POST", {
      cookie: operator,
      body: { kind: "turbine", site: "store-a", metric: "warp_factor", origins: [PORTAL] },
    });
    expect(metric.status).toBe(422);
    expect(metric.json.error.issues[0]).toMatchObject({
      path: "metric",
      message: expect.stringContaining("power_kw"),
    });
  });

  it("defaults to 90 days, shows the token once and stores only its hash", async () => {
    const { grant, credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const row = await db().embedGrant.findUniqueOrThrow({ where: { id: grant.id } });
    const days = (row.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    expect(credential.type).toBe("link");
    expect(credential.token).toMatch(/^oel_/);
    expect(credential.snippet).toContain(`<iframe src="http://outpost.test/embed/${credential.token}?`);
    expect(JSON.stringify(row)).not.toContain(credential.token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await call(grantOne.GET, "GET", { cookie: operator, params: { id: grant.id } });
    expect(again.text).not.toContain(credential.token);
  });
});

describe("a link-mode temperature chart of site A", () => {
  it("renders live data from InfluxDB, framed only by the grant's origins, without cookies", async () => {
    const { credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const token = credential.token ?? "";
    const res = await track(embed(page.GET, token, { query: { theme: "light", w: "600", h: "300" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain(`frame-ancestors ${PORTAL}`);
    expect(res.headers.get("content-security-policy")).not.toMatch(/frame-ancestors[^;]*\*/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.text).toContain("Board temperature · Store A");
    expect(res.text).toContain("n-alpha");
    expect(res.text).not.toContain("n-bravo");
    expect(res.text).toMatch(/data-at="[^"]+"[^>]*>as of /);
    const json = await track(embed(data.GET, token, { query: { range: "1h" } }));
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({
      kind: "temperature",
      site: { slug: "store-a" },
      range: "1h",
      unavailable: null,
    });
    expect(json.json.series.map((s: { id: string }) => s.id)).toEqual(["n-alpha"]);
    expect(json.json.series[0].points.at(-1).mean).toBeCloseTo(61.5);
    const csv = await track(embed(data.GET, token, { query: { format: "csv" } }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n")[1]).toMatch(/^\d{4}-.*,store-a,n-alpha,temperature,°C,/);
    const fragment = await track(embed(frame.GET, token));
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get("x-embed-fragment")).toBe("1");
  });

  it("refuses site B, another chart, a wider or custom range and unknown values", async () => {
    const { credential } = await newGrant(operator, {
      kind: "temperature",
      site: "store-a",
      ranges: ["1h", "6h", "24h"],
    });
    const token = credential.token ?? "";
    const cases: [Route, Record<string, string>, number, string][] = [
      [data.GET, { site: "store-b" }, 403, "locked"],
      [data.GET, { siteId: "x" }, 403, "locked"],
      [data.GET, { kind: "connectivity" }, 403, "locked"],
      [data.GET, { chart: "site-status" }, 403, "locked"],
      [data.GET, { range: "30d" }, 403, "range"],
      [data.GET, { range: "7d" }, 403, "range"],
      [
        data.GET,
        { range: "custom", from: String(Date.now() - 30 * 86_400_000), to: String(Date.now()) },
        403,
        "locked",
      ],
      [data.GET, { format: "xml" }, 422, "bad-input"],
      [data.GET, { color: "red" }, 400, "bad-input"],
      [page.GET, { site: "store-b" }, 403, ""],
      [page.GET, { range: "30d" }, 403, ""],
      [page.GET, { theme: "neon" }, 422, ""],
    ];
    for (const [route, query, status, reason] of cases) {
      const r = await track(embed(route, token, { query }));
      expect(r.status, JSON.stringify(query)).toBe(status);
      if (reason) expect(r.json.error.reason, JSON.stringify(query)).toBe(reason);
    }
    const b = await track(embed(data.GET, token, { query: { site: "store-b" } }));
    expect(b.text).not.toContain("n-bravo");
  });

  it("is dead at once after revocation: page, refresh, data and CSV", async () => {
    const { grant, credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const token = credential.token ?? "";
    expect((await embed(data.GET, token)).status).toBe(200);
    const revoked = await call(revoke.POST, "POST", { cookie: operator, params: { id: grant.id } });
    expect(revoked.json.grant.state).toBe("revoked");
    const p = await track(embed(page.GET, token));
    expect(p.status).toBe(403);
    expect(p.text).toContain("This embed link was revoked");
    const f = await track(embed(frame.GET, token));
    expect(f.status).toBe(403);
    expect(f.headers.get("x-embed-fragment")).toBe("1");
    expect(f.text).toContain('data-terminal="1"');
    const d = await track(embed(data.GET, token));
    expect(d.json.error).toMatchObject({ code: "forbidden", reason: "revoked" });
    const csv = await track(embed(data.GET, token, { query: { format: "csv" } }));
    expect(csv.status).toBe(403);
    expect(csv.text).not.toContain("n-alpha");
  });

  it("says when it expired", async () => {
    const { grant, credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    await db().embedGrant.update({
      where: { id: grant.id },
      data: { expiresAt: new Date("2026-03-01T10:00:00Z") },
    });
    forgetAllGrants();
    const p = await track(embed(page.GET, credential.token ?? ""));
    expect(p.status).toBe(403);
    expect(p.text).toContain("This embed expired on 2026-03-01 10:00 UTC");
  });

  it("refuses a portal not in the grant, and a copied link opened in a tab", async () => {
    const { credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const token = credential.token ?? "";
    const evil = await track(embed(page.GET, token, { headers: { referer: "https://evil.example/page" } }));
    expect(evil.status).toBe(403);
    expect(evil.text).toContain("not allowed on this site (origin https://evil.example)");
    // Only the error may show there; the chart's data is not in it.
    expect(evil.text).not.toContain("n-alpha");
    expect(evil.headers.get("content-security-policy")).toContain("frame-ancestors https://evil.example");
    const allowed = await track(embed(page.GET, token, { headers: { referer: `${PORTAL}/ops/dashboard` } }));
    expect(allowed.status).toBe(200);
    const tab = await track(embed(page.GET, token, { headers: { "sec-fetch-dest": "document" } }));
    expect(tab.status).toBe(403);
    expect(tab.text).toContain("not allowed on this site (origin)");
  });

  it("answers 429 with Retry-After past the grant's rate limit", async () => {
    const { credential } = await newGrant(operator, {
      kind: "temperature",
      site: "store-a",
      rateLimitPerMinute: 3,
    });
    const token = credential.token ?? "";
    for (let i = 0; i < 3; i++) expect((await embed(data.GET, token)).status).toBe(200);
    const limited = await track(embed(data.GET, token));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const framed = await track(embed(frame.GET, token));
    expect(framed.status).toBe(429);
    expect(framed.text).toContain("Too many requests");
  });

  it("counts uses and audits creation, revocation and denials per grant", async () => {
    const { grant, credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const token = credential.token ?? "";
    await embed(data.GET, token);
    await embed(page.GET, token);
    await embed(data.GET, token, { query: { range: "30d" } });
    await flushUsage();
    const row = await db().embedGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.useCount).toBe(3);
    expect(row.lastUsedAt).not.toBeNull();
    await call(revoke.POST, "POST", { cookie: operator, params: { id: grant.id } });
    await embed(data.GET, token);
    await vi.waitFor(async () => {
      const ev = await call(events.GET, "GET", { cookie: operator, params: { id: grant.id } });
      expect(ev.json.items.map((e: { action: string }) => e.action).sort()).toEqual([
        "embed.denied",
        "embed.denied",
        "embed.grant.create",
        "embed.grant.revoke",
      ]);
      const reasons = ev.json.items.filter((e: { action: string }) => e.action === "embed.denied");
      expect(reasons.map((e: { detail: { reason: string } }) => e.detail.reason).sort()).toEqual([
        "range",
        "revoked",
      ]);
    });
    const audit = JSON.stringify(await db().auditEvent.findMany());
    expect(audit).not.toContain(token);
  });

  it("is invalidated by rotating the server key (previous keys are not accepted)", async () => {
    const { credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const signed = await newGrant(operator, { kind: "site-status", mode: "signed", site: "store-a" });
    const old = process.env.OUTPOST_SECRET_KEY;
    const { readFileSync } = await import("node:fs");
    const { env } = await import("@/lib/env");
    const current = readFileSync(`${env().dataDir}/secret.key`, "utf8").trim();
    process.env.OUTPOST_SECRET_KEY = randomBytes(32).toString("base64");
    process.env.OUTPOST_PREVIOUS_SECRET_KEYS = current;
    resetEnvForTests();
    resetKeysForTests();
    forgetAllGrants();
    try {
      const r = await embed(data.GET, credential.token ?? "");
      expect(r.status).toBe(401);
      expect(r.json.error.reason).toBe("invalid");
      // Signed mode uses the grant's own secret (kept readable by the previous key): still fine.
      const now = Math.floor(Date.now() / 1000);
      const token = signHs256(
        { aud: EMBED_AUDIENCE, grant: signed.grant.id, iat: now, exp: now + 300 },
        signed.credential.secret ?? "",
      );
      expect((await embed(data.GET, token)).status).toBe(200);
    } finally {
      if (old === undefined) delete process.env.OUTPOST_SECRET_KEY;
      else process.env.OUTPOST_SECRET_KEY = old;
      delete process.env.OUTPOST_PREVIOUS_SECRET_KEYS;
      resetEnvForTests();
      resetKeysForTests();
    }
  });

  it("reissuing a link kills the old one", async () => {
    const { grant, credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const next = await call(reissue.POST, "POST", { cookie: operator, params: { id: grant.id } });
    expect(next.status).toBe(200);
    expect((await embed(data.GET, credential.token ?? "")).status).toBe(401);
    expect((await embed(data.GET, next.json.credential.token)).status).toBe(200);
  });
});

describe("a signed-mode status card over the chain's stores", () => {
  const sign = (
    secret: string,
    grant: string,
    params: Record<string, unknown>,
    over: Record<string, unknown> = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    return signHs256({ aud: EMBED_AUDIENCE, grant, iat: now, exp: now + 600, params, ...over }, secret, {
      kid: grant,
    });
  };

  it("shows the store the portal names, and refuses one outside the grant", async () => {
    const { grant, credential } = await newGrant(operator, {
      kind: "site-status",
      mode: "signed",
      site: null,
      filter: { kind: "store" },
    });
    expect(credential.type).toBe("signed");
    const secret = credential.secret ?? "";
    expect(secret).toMatch(/^oes_/);
    const row = await db().embedGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.secretEnc).not.toContain(secret);
    const ok = await track(embed(page.GET, sign(secret, grant.id, { site: "store-b" })));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("Store B");
    expect(ok.text).toContain('data-status="unknown"');
    const truck = await track(embed(data.GET, sign(secret, grant.id, { site: "truck-1" })));
    expect(truck.status).toBe(403);
    expect(truck.json.error.reason).toBe("scope");
    const widen = await track(embed(data.GET, sign(secret, grant.id, { site: "truck-1", kind: "vehicle" })));
    expect(widen.json.error.reason).toBe("scope");
    const missing = await track(embed(data.GET, sign(secret, grant.id, {})));
    expect(missing.json.error.reason).toBe("scope");
    const unknown = await track(embed(data.GET, sign(secret, grant.id, { site: "store-zz" })));
    expect(unknown.json.error.reason).toBe("scope");
    const expired = await track(
      embed(
        page.GET,
        sign(secret, grant.id, { site: "store-b" }, { exp: 1_700_000_000, iat: 1_699_999_900 }),
      ),
    );
    expect(expired.status).toBe(401);
    expect(expired.text).toContain("This embed link expired on 2023-11-14");
    const forged = await track(embed(data.GET, sign("oes_guess", grant.id, { site: "store-b" })));
    expect(forged.status).toBe(401);
  });

  it("a fleet strip counts only its filter, narrowed by the token", async () => {
    const { grant, credential } = await newGrant(operator, {
      kind: "fleet-strip",
      mode: "signed",
      filter: { kind: "store" },
    });
    const secret = credential.secret ?? "";
    const all = await embed(data.GET, sign(secret, grant.id, {}));
    expect(all.json.counts.total).toBe(2);
    const north = await embed(data.GET, sign(secret, grant.id, { label: "region=north" }));
    expect(north.json.counts.total).toBe(1);
    const vehicles = await embed(data.GET, sign(secret, grant.id, { kind: "vehicle" }));
    expect(vehicles.status).toBe(403);
  });
});

describe("the embed zone", () => {
  it("never sets a cookie and never honours the main session", async () => {
    const r = await track(embed(data.GET, "oel_nonsense.token.here", { headers: { cookie: admin } }));
    expect(r.status).toBe(401);
    for (const res of seen) expect(res.headers.get("set-cookie")).toBeNull();
    expect(seen.length).toBeGreaterThan(20);
  });

  it("an embed token opens no other API", async () => {
    const { credential } = await newGrant(operator, { kind: "temperature", site: "store-a" });
    const token = credential.token ?? "";
    expect((await call(fleetHealthRoute.GET, "GET", { bearer: token })).status).toBe(401);
    expect(
      (await call(siteTelemetryRoute.GET, "GET", { bearer: token, params: { id: "store-a" } })).status,
    ).toBe(401);
    expect((await call(grants.GET, "GET", { bearer: token })).status).toBe(401);
  });

  it("the dialog's preview renders for operators without a grant", async () => {
    const r = await call(preview.GET, "GET", {
      cookie: operator,
      query: { kind: "temperature", site: "store-a", theme: "dark" },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
    expect(r.text).toContain("n-alpha");
    expect(
      (await call(preview.GET, "GET", { cookie: viewer, query: { kind: "temperature", site: "store-a" } }))
        .status,
    ).toBe(403);
  });

  it("no token appears in any log line", () => {
    expect(logged.join("")).not.toMatch(/oel_[A-Za-z0-9]/);
    expect(logged.join("")).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  });
});
