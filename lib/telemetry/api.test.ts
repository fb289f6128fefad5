import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as login from "@/app/api/auth/login/route";
import * as ds from "@/app/api/data-sources/[id]/route";
import * as dsStoredTest from "@/app/api/data-sources/[id]/test/route";
import * as dss from "@/app/api/data-sources/route";
import * as dsTest from "@/app/api/data-sources/test/route";
import * as hottest from "@/app/api/telemetry/fleet/hottest/route";
import * as siteTelemetry from "@/app/api/telemetry/site/[id]/route";
import * as users from "@/app/api/users/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { clearQueryCache } from "@/lib/influx/client";
import { toLine } from "@/lib/simulator/telemetry/line-protocol";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { createDatabase, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { ensureDemoDataSource } from "./data-sources";
import { TelemetryTick } from "./tick/service";

const ADMIN_PASSWORD = "admin-password-for-tests";
const SECRET = "s3cret-token-value-never-echoed";
let cleanup: () => Promise<void>;
let influx: InfluxdInstance;
let admin: string;
let viewer: string;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD, OUTPOST_ALLOW_LOOPBACK: "1" }))
    .cleanup;
  influx = await startInfluxd();
  await createDatabase(influx.url, "telegraf");
  await ensureFirstAdmin();
  admin = sessionCookieFrom(
    await call(login.POST, "POST", { body: { username: "admin", password: ADMIN_PASSWORD } }),
  );
  await call(users.POST, "POST", {
    cookie: admin,
    body: { username: "vic", password: "viewer-password-1", role: "viewer" },
  });
  viewer = sessionCookieFrom(
    await call(login.POST, "POST", { body: { username: "vic", password: "viewer-password-1" } }),
  );
});

afterAll(async () => {
  await influx?.stop();
  await cleanup?.();
});

const config = (over: Record<string, unknown> = {}) => ({
  name: "Main",
  url: influx.url,
  database: "telegraf",
  ...over,
});

describe("data source API", () => {
  it("is for admins only", async () => {
    expect((await call(dss.GET, "GET", { cookie: viewer })).status).toBe(403);
    expect((await call(dss.POST, "POST", { cookie: viewer, body: config() })).status).toBe(403);
    expect((await call(dss.GET, "GET")).status).toBe(401);
  });

  it("names every bad field and refuses metadata addresses", async () => {
    const bad = await call(dss.POST, "POST", {
      cookie: admin,
      body: {
        name: "",
        url: "ftp://x",
        database: "",
        authKind: "basic",
        timeoutMs: 5,
        mapping: { temperature: { field: "a\nb" } },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "database",
      "mapping.temperature.field",
      "name",
      "timeoutMs",
      "url",
      "username",
    ]);
    const metadata = await call(dss.POST, "POST", {
      cookie: admin,
      body: config({ url: "http://169.254.169.254/" }),
    });
    expect(metadata.status).toBe(422);
    expect(metadata.json.error).toMatchObject({ code: "url_refused", issues: [{ path: "url" }] });
    const noSecret = await call(dss.POST, "POST", { cookie: admin, body: config({ authKind: "token" }) });
    expect(noSecret.status).toBe(422);
    expect(noSecret.json.error.issues[0].path).toBe("secret");
  });

  it("stores secrets encrypted and never returns them", async () => {
    const created = await call(dss.POST, "POST", {
      cookie: admin,
      body: config({ name: "Secured", authKind: "token", secret: SECRET }),
    });
    expect(created.status).toBe(200);
    expect(created.text).not.toContain(SECRET);
    expect(created.json.dataSource).toMatchObject({ hasSecret: true, isDefault: true, authKind: "token" });
    const id = created.json.dataSource.id;
    const row = await db().dataSource.findUniqueOrThrow({ where: { id } });
    expect(row.secretEnc).not.toContain(SECRET);

    // Omitting the secret on update keeps it.
    const updated = await call(ds.PUT, "PUT", {
      cookie: admin,
      params: { id },
      body: config({ name: "Secured", authKind: "token", isDefault: true, timeoutMs: 4_000 }),
    });
    expect(updated.status).toBe(200);
    expect(updated.json.dataSource).toMatchObject({ hasSecret: true, timeoutMs: 4_000 });
    for (const res of [
      await call(dss.GET, "GET", { cookie: admin }),
      await call(ds.GET, "GET", { cookie: admin, params: { id } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain(row.secretEnc ?? "");
    }
    const audit = await db().auditEvent.findMany({ where: { targetId: id } });
    expect(audit.map((a) => a.action).sort()).toEqual(["data_source.create", "data_source.update"]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    // The token is sent, and influxd without auth ignores it: the stored test works.
    const tested = await call(dsStoredTest.POST, "POST", { cookie: admin, params: { id } });
    expect(tested.json.ping).toMatchObject({ isOk: true });
    expect(tested.text).not.toContain(SECRET);
    expect((await call(ds.DELETE, "DELETE", { cookie: admin, params: { id } })).status).toBe(200);
  });

  it("keeps exactly one default", async () => {
    const a = (await call(dss.POST, "POST", { cookie: admin, body: config({ name: "A" }) })).json.dataSource;
    const b = (await call(dss.POST, "POST", { cookie: admin, body: config({ name: "B", isDefault: true }) }))
      .json.dataSource;
    const list = (await call(dss.GET, "GET", { cookie: admin })).json.items as {
      id: string;
      isDefault: boolean;
    }[];
    expect(list.filter((d) => d.isDefault).map((d) => d.id)).toEqual([b.id]);
    const undefault = await call(ds.PUT, "PUT", {
      cookie: admin,
      params: { id: b.id },
      body: config({ name: "B", isDefault: false }),
    });
    expect(undefault.status).toBe(422);
    expect(undefault.json.error.issues[0].path).toBe("isDefault");
    const removed = await call(ds.DELETE, "DELETE", { cookie: admin, params: { id: b.id } });
    expect(removed.json.promotedId).toBe(a.id);
    expect((await call(ds.GET, "GET", { cookie: admin, params: { id: b.id } })).status).toBe(404);
    const dup = await call(dss.POST, "POST", { cookie: admin, body: config({ name: "A" }) });
    expect(dup.status).toBe(409);
    await call(ds.DELETE, "DELETE", { cookie: admin, params: { id: a.id } });
  });

  it("tests an unsaved configuration: version, database, measurements and a mapping preview", async () => {
    await db().site.create({ data: { slug: "store-test-01", name: "Test store", kind: "store" } });
    const now = Date.now();
    const lines = ["n1", "n2"].map((host) =>
      toLine({
        measurement: "temp",
        tags: { site: "store-test-01", cluster: "k3s", host, sensor: "cpu_thermal" },
        floats: { temp: 55 },
        timeMs: now - 10_000,
      }),
    );
    await fetch(`${influx.url}/write?db=telegraf&precision=ms`, { method: "POST", body: lines.join("\n") });
    const res = await call(dsTest.POST, "POST", { cookie: admin, body: { config: config() } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      isOk: true,
      databaseExists: true,
      ping: { isOk: true, version: expect.stringMatching(/^1\.6/) },
    });
    expect(res.json.measurements).toContain("temp");
    expect(res.json.preview.temperature).toMatchObject({ hosts: 2, sites: 1, clusters: 1 });
    expect(res.json.preview.matchedSites).toBe(1);
    expect(res.json.preview.samples.hosts.sort()).toEqual(["n1", "n2"]);
    expect(res.json.preview.connectivity).toMatchObject({ measurement: "ping", hosts: 0 });
    expect(res.json.preview.warnings).toContain('measurement "ping" does not exist');

    const missing = await call(dsTest.POST, "POST", {
      cookie: admin,
      body: { config: config({ database: "nope" }) },
    });
    expect(missing.json).toMatchObject({
      isOk: false,
      databaseExists: false,
      problem: { reason: "database-missing" },
    });
    const down = await call(dsTest.POST, "POST", {
      cookie: admin,
      body: { config: config({ url: "http://127.0.0.1:1" }) },
    });
    expect(down.json).toMatchObject({ isOk: false, ping: { isOk: false, reason: "unreachable" } });
    // A URL the policy refuses is bad input, as when saving: 422 naming the field.
    const metadata = await call(dsTest.POST, "POST", {
      cookie: admin,
      body: { config: config({ url: "http://[fd00:ec2::254]/" }) },
    });
    expect(metadata.status).toBe(422);
    expect(metadata.json.error.issues).toEqual([expect.objectContaining({ path: "url" })]);
  });

  it("never sends a stored secret to another origin (test and update alike)", async () => {
    // A server that records whatever credentials reach it.
    const { createServer } = await import("node:http");
    const seen: string[] = [];
    const catcher = createServer((req, res) => {
      seen.push(req.headers.authorization ?? "");
      res.writeHead(204, { "x-influxdb-version": "1.8.10" }).end();
    });
    await new Promise<void>((r) => catcher.listen(0, "127.0.0.1", r));
    const port = (catcher.address() as { port: number }).port;
    const elsewhere = `http://127.0.0.1:${port}`;
    try {
      const created = await call(dss.POST, "POST", {
        cookie: admin,
        body: config({ name: "Kept secret", authKind: "token", secret: SECRET, isDefault: true }),
      });
      expect(created.status).toBe(200);
      const id = created.json.dataSource.id;
      const tryElsewhere = await call(dsTest.POST, "POST", {
        cookie: admin,
        body: { id, config: config({ name: "Kept secret", authKind: "token", url: elsewhere }) },
      });
      expect(tryElsewhere.status).toBe(422);
      expect(tryElsewhere.json.error.issues[0]).toMatchObject({ path: "secret" });
      expect(tryElsewhere.json.error.message).toContain("enter the token again");
      const moveOnly = await call(ds.PUT, "PUT", {
        cookie: admin,
        params: { id },
        body: config({ name: "Kept secret", authKind: "token", url: elsewhere, isDefault: true }),
      });
      expect(moveOnly.status).toBe(422);
      expect(moveOnly.json.error.issues[0]).toMatchObject({ path: "secret" });
      expect((await db().dataSource.findUniqueOrThrow({ where: { id } })).url).toBe(influx.url);
      expect(seen.join("")).not.toContain(SECRET);
      // With the secret typed again, moving is fine; the same origin keeps reusing the stored one.
      const moved = await call(ds.PUT, "PUT", {
        cookie: admin,
        params: { id },
        body: config({
          name: "Kept secret",
          authKind: "token",
          url: elsewhere,
          isDefault: true,
          secret: "another-token",
        }),
      });
      expect(moved.status).toBe(200);
      const sameOrigin = await call(dsTest.POST, "POST", {
        cookie: admin,
        body: { id, config: config({ name: "Kept secret", authKind: "token", url: `${elsewhere}/` }) },
      });
      expect(sameOrigin.status).toBe(200);
      expect(seen).toContain("Token another-token");
      expect(seen.join("")).not.toContain(SECRET);
      expect((await call(ds.DELETE, "DELETE", { cookie: admin, params: { id } })).status).toBe(200);
    } finally {
      catcher.close();
    }
  });

  it("registers the demo source idempotently", async () => {
    const first = await ensureDemoDataSource(influx.url, "telegraf");
    const again = await ensureDemoDataSource(influx.url, "telegraf");
    expect(again.id).toBe(first.id);
    expect(again.updatedAt).toBe(first.updatedAt);
    expect(first.isDefault).toBe(true);
    const moved = await ensureDemoDataSource("http://127.0.0.1:8087", "telegraf");
    expect(moved).toMatchObject({ id: first.id, url: "http://127.0.0.1:8087", isDefault: true });
    await ensureDemoDataSource(influx.url, "telegraf");
  });
});

describe("telemetry API", () => {
  it("serves site charts to viewers and validates the query", async () => {
    clearQueryCache();
    const ok = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: { range: "1h", width: "800" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({
      view: "temperature",
      slug: "store-test-01",
      unavailable: null,
      threshold: { celsius: 80, source: "fleet default" },
      preferredUnit: "C",
      lineSelection: "all",
    });
    expect(ok.json.lines.map((s: { id: string }) => s.id)).toEqual(["n1", "n2"]);
    expect(ok.json.matrix.rows.map((s: { id: string }) => s.id)).toEqual(["n1", "n2"]);

    // One view per request: connectivity carries no temperature, and RTT lines only when asked.
    const link = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: { view: "connectivity", range: "1h", width: "800" },
    });
    expect(link.status).toBe(200);
    expect(link.json).toMatchObject({ view: "connectivity", rtt: null });
    expect(link.json.matrix).toBeUndefined();

    const bad = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: { range: "custom", from: "yesterday", width: "5" },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["from", "width"]);
    const badView = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: {
        view: "everything",
        hosts: Array.from({ length: 13 }, (_, i) => `n${i}`).join(","),
        rtt: "yes",
      },
    });
    expect(badView.status).toBe(422);
    expect(badView.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "hosts",
      "rtt",
      "view",
    ]);
    const badField = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: { view: "turbine", field: "not_a_metric" },
    });
    expect(badField.status).toBe(422);
    expect(badField.json.error.issues[0].path).toBe("field");
    const notFound = await call(siteTelemetry.GET, "GET", { cookie: viewer, params: { id: "nope" } });
    expect(notFound.status).toBe(404);
    const custom = await call(siteTelemetry.GET, "GET", {
      cookie: viewer,
      params: { id: "store-test-01" },
      query: {
        range: "custom",
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: String(Date.now()),
      },
    });
    expect(custom.status).toBe(200);
    expect(custom.json.range).toBe("custom");
  });

  it("lists the hottest nodes fleet-wide", async () => {
    await fetch(`${influx.url}/write?db=telegraf&precision=ms`, {
      method: "POST",
      body: toLine({
        measurement: "temp",
        tags: { site: "store-test-01", cluster: "k3s", host: "n3", sensor: "cpu_thermal" },
        floats: { temp: 83.5 },
        timeMs: Date.now() - 5_000,
      }),
    });
    clearQueryCache();
    // The list is what the worker's last tick stored: before any tick there is nothing to list yet.
    const before = await call(hottest.GET, "GET", { cookie: viewer, query: { limit: "2" } });
    expect(before.json).toMatchObject({ items: [], unavailable: { reason: "stale" } });
    await new TelemetryTick().runOnce();
    const res = await call(hottest.GET, "GET", { cookie: viewer, query: { limit: "2" } });
    expect(Date.parse(res.json.asOf)).toBeGreaterThan(Date.now() - 10_000);
    expect(res.status).toBe(200);
    expect(res.json.items).toHaveLength(2);
    expect(res.json.items[0]).toMatchObject({
      host: "n3",
      tempC: 83.5,
      isHot: true,
      site: { slug: "store-test-01" },
    });
    expect((await call(hottest.GET, "GET", { cookie: viewer, query: { limit: "0" } })).status).toBe(422);
  });
});
