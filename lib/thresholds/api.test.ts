import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as thresholds from "@/app/api/alerts/thresholds/route";
import * as audit from "@/app/api/audit/route";
import * as login from "@/app/api/auth/login/route";
import * as activeMaintenance from "@/app/api/maintenance/route";
import * as endMaintenance from "@/app/api/sites/[id]/maintenance/[maintenanceId]/route";
import * as maintenance from "@/app/api/sites/[id]/maintenance/route";
import * as site from "@/app/api/sites/[id]/route";
import * as sites from "@/app/api/sites/route";
import * as users from "@/app/api/users/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { listMigrations, migrateSqlite } from "@/lib/db/migrate";
import { maintenanceForSites } from "@/lib/maintenance/store";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { resolveThreshold } from "./chain";
import { thresholdChain } from "./store";

const ADMIN_PASSWORD = "admin-password-for-tests";
let cleanup: () => Promise<void>;
let admin: string;
let operator: string;
let viewer: string;

async function signIn(username: string, role: string): Promise<string> {
  const password = `${username}-password-123`;
  await call(users.POST, "POST", { cookie: admin, body: { username, password, role } });
  return sessionCookieFrom(await call(login.POST, "POST", { body: { username, password } }));
}

beforeAll(async () => {
  cleanup = (
    await useTempDataDir({ OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD, OUTPOST_TEMP_WARN_CELSIUS: "80" })
  ).cleanup;
  await ensureFirstAdmin();
  admin = sessionCookieFrom(
    await call(login.POST, "POST", { body: { username: "admin", password: ADMIN_PASSWORD } }),
  );
  operator = await signIn("olga", "operator");
  viewer = await signIn("vic", "viewer");
});

afterAll(async () => {
  await cleanup?.();
});

async function newSite(name: string, extra: Record<string, unknown> = {}) {
  const res = await call(sites.POST, "POST", { cookie: admin, body: { name, kind: "wind-farm", ...extra } });
  expect(res.status).toBe(200);
  return res.json.site as { id: string; slug: string; tempWarnCelsius: number | null };
}

async function addCluster(siteId: string, name: string, nodes: string[]) {
  const c = await db().cluster.create({
    data: {
      siteId,
      name,
      server: `https://10.0.0.${Math.floor(Math.random() * 250)}:6443/${name}`,
      contextName: name,
      authKind: "token",
      kubeconfigEnc: "unused",
    },
  });
  await db().clusterStatus.create({
    data: { clusterId: c.id, snapshot: JSON.stringify({ nodes: nodes.map((n) => ({ name: n })) }) },
  });
  return c;
}

describe("threshold chain API", () => {
  it("the site form's 'hot above' is the site level of the chain", async () => {
    const s = await newSite("Farm A", { tempWarnCelsius: 82 });
    expect(s.tempWarnCelsius).toBe(82);
    const chain = await thresholdChain(Date.now() + 10_000);
    expect(resolveThreshold(chain, { kind: "wind-farm", siteId: s.id })).toMatchObject({
      celsius: 82,
      source: { level: "site", name: "Farm A" },
    });
    // Absent leaves it, null clears it.
    const kept = await call(site.PUT, "PUT", {
      cookie: admin,
      params: { id: s.id },
      body: { name: "Farm A", kind: "wind-farm" },
    });
    expect(kept.json.site.tempWarnCelsius).toBe(82);
    const cleared = await call(site.PUT, "PUT", {
      cookie: admin,
      params: { id: s.id },
      body: { name: "Farm A", kind: "wind-farm", tempWarnCelsius: null },
    });
    expect(cleared.json.site.tempWarnCelsius).toBeNull();
    expect(
      (await call(site.GET, "GET", { cookie: viewer, params: { id: s.id } })).json.site.tempWarnCelsius,
    ).toBeNull();
  });

  it("an operator sets site and node levels; the site view shows each effective value and its source", async () => {
    const s = await newSite("Farm B");
    const c = await addCluster(s.id, "turbine-07", ["t07-node", "t07-b"]);
    const setSite = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "site", siteId: s.id }, warnCelsius: 82 },
    });
    expect(setSite.status).toBe(200);
    const setNode = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: {
        scope: { level: "node", clusterId: c.id, node: "t07-node" },
        warnCelsius: 85,
        criticalCelsius: 92,
      },
    });
    expect(setNode.status).toBe(200);
    const view = await call(thresholds.GET, "GET", { cookie: viewer, query: { site: s.slug } });
    expect(view.status).toBe(200);
    expect(view.json.effective).toMatchObject({ celsius: 82, source: { level: "site" } });
    expect(view.json.inherited).toMatchObject({ celsius: 80, source: { level: "fleet" } });
    expect(view.json.own).toMatchObject({ warnCelsius: 82, updatedBy: "olga" });
    const byNode = Object.fromEntries(
      (view.json.nodes as { node: string; effective: { celsius: number; source: { level: string } } }[]).map(
        (n) => [n.node, n.effective],
      ),
    );
    expect(byNode["t07-node"]).toMatchObject({
      celsius: 85,
      source: { level: "node" },
      critical: { celsius: 92 },
    });
    expect(byNode["t07-b"]).toMatchObject({ celsius: 82, source: { level: "site" } });

    // Clearing the node level makes it inherit the site's again.
    const clear = await call(thresholds.DELETE, "DELETE", {
      cookie: operator,
      body: { scope: { level: "node", clusterId: c.id, node: "t07-node" } },
    });
    expect(clear.json).toEqual({ removed: true });
    const again = await call(thresholds.GET, "GET", { cookie: viewer, query: { site: s.id } });
    expect(again.json.nodes.find((n: { node: string }) => n.node === "t07-node").effective.celsius).toBe(82);

    const log = await call(audit.GET, "GET", { cookie: admin });
    const actions = (log.json.items as { action: string; actorName: string }[]).map(
      (e) => `${e.action}:${e.actorName}`,
    );
    expect(actions).toEqual(expect.arrayContaining(["threshold.set:olga", "threshold.clear:olga"]));
  });

  it("fleet and kind levels are for admins; viewers change nothing", async () => {
    const fleet = { scope: { level: "fleet" }, warnCelsius: 78 };
    expect((await call(thresholds.PUT, "PUT", { cookie: operator, body: fleet })).status).toBe(403);
    expect(
      (
        await call(thresholds.PUT, "PUT", {
          cookie: viewer,
          body: { ...fleet, scope: { level: "site", siteId: "x" } },
        })
      ).status,
    ).toBe(403);
    expect((await call(thresholds.PUT, "PUT", { cookie: admin, body: fleet })).status).toBe(200);
    const kind = { scope: { level: "kind", kind: "store" }, warnCelsius: 70 };
    expect((await call(thresholds.PUT, "PUT", { cookie: admin, body: kind })).status).toBe(200);
    const got = await call(thresholds.GET, "GET", { cookie: viewer });
    expect(got.json.fleetDefault).toMatchObject({ celsius: 78, source: { level: "fleet" } });
    expect(got.json.configuredDefault).toEqual({ warnCelsius: 80, criticalCelsius: null });
    expect(got.json.kinds).toEqual([expect.objectContaining({ scopeKey: "store", warnCelsius: 70 })]);
    await call(thresholds.DELETE, "DELETE", { cookie: admin, body: { scope: { level: "fleet" } } });
    expect((await call(thresholds.GET, "GET", { cookie: viewer })).json.fleetDefault.celsius).toBe(80);
  });

  it("refuses bad input with the field named", async () => {
    const s = await newSite("Farm C");
    const crit = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "site", siteId: s.id }, warnCelsius: 85, criticalCelsius: 80 },
    });
    expect(crit.status).toBe(422);
    expect(crit.json.error.issues).toEqual([
      { path: "criticalCelsius", message: "critical must be above the warning level" },
    ]);
    const range = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "site", siteId: s.id }, warnCelsius: 500 },
    });
    expect(range.json.error.issues).toEqual([{ path: "warnCelsius", message: "at most 150 °C" }]);
    const level = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "planet" }, warnCelsius: 50 },
    });
    expect(level.status).toBe(422);
    expect(level.json.error.issues[0].path).toBe("scope.level");
    const node = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "node", clusterId: "c", node: "Not A Node!" }, warnCelsius: 50 },
    });
    expect(node.json.error.issues[0].path).toBe("scope.node");
    const missing = await call(thresholds.PUT, "PUT", {
      cookie: operator,
      body: { scope: { level: "cluster", clusterId: "nope" }, warnCelsius: 50 },
    });
    expect(missing.status).toBe(404);
  });
});

describe("site maintenance API", () => {
  it("an operator starts and ends maintenance; it is audited and listed fleet-wide", async () => {
    const s = await newSite("Farm M");
    expect(
      (
        await call(maintenance.POST, "POST", {
          cookie: viewer,
          params: { id: s.id },
          body: { reason: "x", durationMinutes: 5 },
        })
      ).status,
    ).toBe(403);
    const start = await call(maintenance.POST, "POST", {
      cookie: operator,
      params: { id: s.slug },
      body: { reason: "gearbox swap", durationMinutes: 120 },
    });
    expect(start.status).toBe(200);
    const id = start.json.maintenance.id as string;
    expect(start.json.maintenance.endsAt - start.json.maintenance.startsAt).toBe(120 * 60_000);

    const state = await call(maintenance.GET, "GET", { cookie: viewer, params: { id: s.id } });
    expect(state.json.active).toMatchObject({ id, reason: "gearbox swap", createdBy: "olga" });
    expect((await maintenanceForSites([s.id])).get(s.id)?.id).toBe(id);
    const fleet = await call(activeMaintenance.GET, "GET", { cookie: viewer });
    expect(fleet.json.items.map((w: { siteId: string }) => w.siteId)).toContain(s.id);

    const end = await call(endMaintenance.DELETE, "DELETE", {
      cookie: operator,
      params: { id: s.id, maintenanceId: id },
    });
    expect(end.status).toBe(200);
    expect(end.json.maintenance.endedBy).toBe("olga");
    const after = await call(maintenance.GET, "GET", { cookie: viewer, params: { id: s.id } });
    expect(after.json.active).toBeNull();
    expect(after.json.recent[0]).toMatchObject({ id, reason: "gearbox swap" });
    expect((await maintenanceForSites(null)).has(s.id)).toBe(false);
    // Ending twice is a conflict, not a silent success.
    expect(
      (
        await call(endMaintenance.DELETE, "DELETE", {
          cookie: operator,
          params: { id: s.id, maintenanceId: id },
        })
      ).status,
    ).toBe(409);

    const log = await call(audit.GET, "GET", { cookie: admin });
    const actions = (log.json.items as { action: string; targetId: string }[])
      .filter((e) => e.targetId === s.id)
      .map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["site.maintenance.start", "site.maintenance.end"]));
  });

  it("plans a window ahead: listed as upcoming, not active", async () => {
    const s = await newSite("Farm P");
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    const res = await call(maintenance.POST, "POST", {
      cookie: operator,
      params: { id: s.id },
      body: { reason: "firmware", startsAt, endsAt },
    });
    expect(res.status).toBe(200);
    const state = await call(maintenance.GET, "GET", { cookie: viewer, params: { id: s.id } });
    expect(state.json.active).toBeNull();
    expect(state.json.next).toMatchObject({ reason: "firmware" });
    // Cancelling a planned window: it never was in force.
    const cancel = await call(endMaintenance.DELETE, "DELETE", {
      cookie: operator,
      params: { id: s.id, maintenanceId: res.json.maintenance.id },
    });
    expect(cancel.json.maintenance.endsAt).toBe(cancel.json.maintenance.startsAt);
  });

  it("refuses bad windows with the field named", async () => {
    const s = await newSite("Farm Q");
    const post = (body: unknown) =>
      call(maintenance.POST, "POST", { cookie: operator, params: { id: s.id }, body });
    const noEnd = await post({ reason: "x" });
    expect(noEnd.status).toBe(422);
    expect(noEnd.json.error.issues).toEqual([{ path: "endsAt", message: "give an end time or a duration" }]);
    const noReason = await post({ reason: " ", durationMinutes: 10 });
    expect(noReason.json.error.issues[0].path).toBe("reason");
    const backwards = await post({
      reason: "x",
      startsAt: new Date(Date.now() + 7_200_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(backwards.json.error.issues).toEqual([{ path: "endsAt", message: "must be after the start" }]);
    const tooLong = await post({ reason: "x", durationMinutes: 60 * 24 * 31 });
    expect(tooLong.json.error.issues[0]).toEqual({ path: "durationMinutes", message: "at most 30 days" });
    const past = await post({
      reason: "x",
      startsAt: new Date(Date.now() - 7_200_000).toISOString(),
      endsAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(past.json.error.issues).toEqual([{ path: "endsAt", message: "must be in the future" }]);
    expect(
      (
        await call(maintenance.POST, "POST", {
          cookie: operator,
          params: { id: "nope" },
          body: { reason: "x", durationMinutes: 5 },
        })
      ).status,
    ).toBe(404);
  });
});

describe("migration of the per-site threshold", () => {
  it("moves Site.tempWarnCelsius into site-level rows of the chain", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-thr-mig-"));
    try {
      const src = path.join(dir, "migrations");
      const all = listMigrations();
      const ours = all.findIndex((m) => m.name.endsWith("_alerts_thresholds_maintenance"));
      expect(ours).toBeGreaterThan(0);
      const copy = (upTo: number) => {
        for (const m of all.slice(0, upTo)) {
          fs.mkdirSync(path.join(src, m.name), { recursive: true });
          fs.writeFileSync(path.join(src, m.name, "migration.sql"), m.sql);
        }
      };
      const url = `file:${path.join(dir, "t.db")}`;
      copy(ours);
      migrateSqlite(url, src);
      const before = new Database(path.join(dir, "t.db"));
      before
        .prepare(
          `INSERT INTO "Site" (id, slug, name, kind, updatedAt, tempWarnCelsius) VALUES ('s1','a','A','store','2026-01-01',72.5), ('s2','b','B','store','2026-01-01',NULL)`,
        )
        .run();
      before.close();
      copy(all.length);
      migrateSqlite(url, src);
      const after = new Database(path.join(dir, "t.db"), { readonly: true });
      const rows = after
        .prepare(`SELECT level, scopeKey, siteId, warnCelsius FROM "TemperatureThreshold"`)
        .all();
      const columns = (after.prepare(`PRAGMA table_info("Site")`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      after.close();
      expect(rows).toEqual([{ level: "site", scopeKey: "s1", siteId: "s1", warnCelsius: 72.5 }]);
      expect(columns).not.toContain("tempWarnCelsius");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
