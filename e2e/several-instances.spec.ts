// Several Outpost instances on one PostgreSQL (issue 12). Two production servers
// started at the same moment on an EMPTY database apply the migrations once and
// both serve; one runs the worker host, the other is web-only (OUTPOST_WORKER=off).
// A session, the login throttle, the embed rate limit and what the fleet shows are
// the same on either.
// Runs in the PostgreSQL pass of `npm test` (OUTPOST_E2E_DATABASE=postgresql); it
// starts its own PostgreSQL, simulator and servers, apart from the shared e2e fleet.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startSimulator } from "../lib/simulator/simulator";
import { smallFleet } from "../lib/simulator/testing";
import { type PostgresInstance, startPostgres } from "../lib/testing/postgres";
import {
  adminCookie,
  importFleetDirectory,
  type OutpostServer,
  startOutpostServer,
} from "../lib/testing/telemetry-fleet";

const ADMIN_PASSWORD = "instances-admin-password-1";
const POLL_INTERVAL_SECONDS = 2;
const LOGIN_MAX_ATTEMPTS = 4;
/** 32 bytes, base64: both instances decrypt what the other stored (as on two machines) */
const SECRET_KEY = Buffer.alloc(32, 7).toString("base64");

test.skip(
  process.env.OUTPOST_E2E_DATABASE !== "postgresql",
  "several instances need PostgreSQL: runs in the PostgreSQL pass (OUTPOST_E2E_DATABASE=postgresql)",
);
test.describe.configure({ mode: "serial", timeout: 180_000 });

let postgres: PostgresInstance;
let databaseUrl: string;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let web: OutpostServer;
let worker: OutpostServer;
const root = mkdtempSync(path.join(tmpdir(), "outpost-e2e-instances-"));
const simDir = path.join(root, "sim");

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function instance(name: string, env: Record<string, string>): Promise<OutpostServer> {
  const dataDir = path.join(root, name);
  return startOutpostServer({
    dataDir,
    logFile: path.join(root, `${name}.log`),
    env: {
      DATABASE_URL: databaseUrl,
      OUTPOST_SECRET_KEY: SECRET_KEY,
      OUTPOST_ADMIN_USERNAME: "admin",
      OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_LOG_LEVEL: "warn",
      OUTPOST_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_SECONDS),
      OUTPOST_LOGIN_MAX_ATTEMPTS: String(LOGIN_MAX_ATTEMPTS),
      ...env,
    },
  });
}

const NIGHT_SHIFT = { username: "night-shift", password: "night-shift-password-1" };

const login = (server: OutpostServer, username: string, password: string) =>
  fetch(`${server.baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.baseUrl },
    body: JSON.stringify({ username, password }),
  });

test.beforeAll(async () => {
  postgres = await startPostgres();
  databaseUrl = await postgres.createDatabase("instances");
  sim = await startSimulator({ fleet: smallFleet(5), outDir: simDir, dedicatedPorts: "none" });
});

test.afterAll(async () => {
  web?.stop();
  worker?.stop();
  await sim?.stop();
  await postgres?.stop();
});

test("(a) two instances starting at the same moment on an empty database: migrations applied once, both serve", async () => {
  // The same instant, the same empty database: both run the migration runner and bootstrap (first admin).
  [worker, web] = await Promise.all([
    instance("worker", { OUTPOST_WORKER: "embedded" }),
    instance("web", { OUTPOST_WORKER: "off" }),
  ]);
  for (const server of [worker, web]) expect((await fetch(`${server.baseUrl}/api/healthz`)).status).toBe(200);

  const folders = readdirSync(path.resolve("prisma/migrations-postgresql"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const applied = await query<{ migration_name: string; finished_at: Date | null }>(
    `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  expect(applied.map((r) => r.migration_name)).toEqual(folders);
  expect(applied.every((r) => r.finished_at !== null)).toBe(true);
  // one first admin, not one per instance
  expect(await query(`SELECT "username" FROM "User"`)).toEqual([{ username: "admin" }]);
  const instances = await query<{ role: string }>(`SELECT "role" FROM "WorkerInstance" ORDER BY "role"`);
  expect(instances.map((i) => i.role)).toEqual(["web", "web+worker"]);
});

test("(b) a session made on one instance works on the other, and signing out there ends it everywhere", async () => {
  const cookie = await adminCookie(worker.baseUrl, "admin", ADMIN_PASSWORD);
  const me = await fetch(`${web.baseUrl}/api/auth/me`, { headers: { cookie } });
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ user: { username: "admin" } });
  // a user created on the web-only instance (for (d)), with the session from the other one
  const created = await fetch(`${web.baseUrl}/api/users`, {
    method: "POST",
    headers: { cookie, origin: web.baseUrl, "content-type": "application/json" },
    body: JSON.stringify({ ...NIGHT_SHIFT, role: "viewer" }),
  });
  expect(created.status, await created.text()).toBe(200);

  const out = await fetch(`${web.baseUrl}/api/auth/logout`, {
    method: "POST",
    headers: { cookie, origin: web.baseUrl },
  });
  expect(out.ok).toBe(true);
  expect((await fetch(`${worker.baseUrl}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
});

test("(c) the web-only instance shows the fleet the worker collects, with the same ages", async () => {
  const cookie = await adminCookie(worker.baseUrl, "admin", ADMIN_PASSWORD);
  const slugs = sim.fleet.sites.map((s) => s.slug);
  // Imported through the web-only instance; collected by the other one.
  await importFleetDirectory(web.baseUrl, cookie, simDir, slugs, 60_000);

  type Item = {
    slug: string;
    counts: { clusters: number; clustersFresh: number };
    lastSeenAt?: string | null;
  };
  const read = async (server: OutpostServer) => {
    const res = await fetch(`${server.baseUrl}/api/fleet/health?limit=50`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as { items: Item[] };
  };
  const [a, b] = await Promise.all([read(worker), read(web)]);
  const view = (p: { items: Item[] }) =>
    p.items
      .map((i) => ({ slug: i.slug, clusters: i.counts.clusters, fresh: i.counts.clustersFresh }))
      .sort((x, y) => x.slug.localeCompare(y.slug));
  expect(view(b)).toEqual(view(a));
  expect(view(b).every((i) => i.fresh === i.clusters)).toBe(true);
});

test("(d) the login throttle counts failures on every instance together", async () => {
  // Alternating instances, as a load balancer would: each sees only half the attempts.
  for (let i = 0; i < LOGIN_MAX_ATTEMPTS; i++) {
    const res = await login(i % 2 === 0 ? worker : web, NIGHT_SHIFT.username, "wrong-password-123");
    expect(res.status).toBe(401);
  }
  // Locked on both, even with the right password (a guesser learns nothing).
  for (const server of [worker, web]) {
    const res = await login(server, NIGHT_SHIFT.username, NIGHT_SHIFT.password);
    expect(res.status, `instance ${server.baseUrl} after ${LOGIN_MAX_ATTEMPTS} failures`).toBe(429);
  }
});

test("(e) an embed grant's rate limit counts requests on every instance together", async () => {
  const cookie = await adminCookie(worker.baseUrl, "admin", ADMIN_PASSWORD);
  const RATE = 4;
  const created = await fetch(`${web.baseUrl}/api/embed-grants`, {
    method: "POST",
    headers: { cookie, origin: web.baseUrl, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "site-status",
      site: sim.fleet.sites[0]?.slug,
      origins: ["https://portal.example.com"],
      rateLimitPerMinute: RATE,
    }),
  });
  expect(created.status, await created.clone().text()).toBe(200);
  const { credential } = (await created.json()) as { credential: { token: string } };
  const data = (server: OutpostServer) => fetch(`${server.baseUrl}/api/embed/${credential.token}/data`);
  // Alternating instances, as a load balancer would: each one alone is under the rate.
  for (let i = 0; i < RATE; i++) {
    const res = await data(i % 2 === 0 ? worker : web);
    expect(res.status, `request ${i + 1} of ${RATE}`).toBe(200);
  }
  for (const server of [worker, web]) {
    const res = await data(server);
    expect(res.status, `instance ${server.baseUrl} past ${RATE} requests/min in all`).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  }
});

test("(f) SIGTERM on the worker instance: its worker host stops and hands its leases back at once", async () => {
  const holder = await query<{ id: string }>(
    `SELECT "id" FROM "WorkerInstance" WHERE "role" = 'web+worker' AND "stoppedAt" IS NULL`,
  );
  const ids = holder.map((h) => h.id);
  expect(ids).toHaveLength(1);
  const held = await query<{ name: string }>(
    `SELECT "name" FROM "WorkLease" WHERE "owner" = '${ids[0]}' AND "expiresAt" > now()`,
  );
  expect(
    held.length,
    "the worker holds leases (collector shards, evaluator) before the stop",
  ).toBeGreaterThan(0);
  worker.stop();
  // Handed back, not left to expire: the lease period is 30 s, this waits 10 s at most.
  await expect
    .poll(
      async () => {
        const [row] = await query<{ stopped: boolean; live: string }>(
          `SELECT (SELECT "stoppedAt" IS NOT NULL FROM "WorkerInstance" WHERE "id" = '${ids[0]}') AS "stopped",
                  (SELECT count(*) FROM "WorkLease" WHERE "owner" = '${ids[0]}' AND "expiresAt" > now()) AS "live"`,
        );
        return row ? { stopped: row.stopped, live: Number(row.live) } : null;
      },
      { timeout: 10_000, intervals: [250] },
    )
    .toEqual({ stopped: true, live: 0 });
  // and the process ends by itself
  await expect
    .poll(() => worker.process.exitCode !== null || worker.process.signalCode !== null, {
      timeout: 20_000,
    })
    .toBe(true);
});
