import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { fleetHealth } from "@/lib/fleet/health";
import { clearQueryCache } from "@/lib/influx/client";
import { telemetryNodes } from "@/lib/simulator/fleet";
import { backfill } from "@/lib/simulator/telemetry";
import { toLine } from "@/lib/simulator/telemetry/line-protocol";
import { smallFleet } from "@/lib/simulator/testing";
import { createDatabase, freeLoopbackPort, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { setThreshold } from "@/lib/thresholds/store";
import { createDataSource, forgetNodeIndex } from "./data-sources";
import { MAX_POINTS_PER_SERIES } from "./interval";
import { telemetryForSites } from "./read";
import type { MappingInput, SiteTelemetryQuery } from "./schemas";
import type { ConnectivityChartData, TemperatureChartData } from "./site-chart-types";
import { siteChart } from "./site-charts";
import { forgetRegistry } from "./tick/join";
import { TelemetryTick } from "./tick/service";

// Against a real influxd: the Telegraf-default mapping and custom ones, escaping
// of hostile names, bucket counts, spikes, gaps, late points, and every way
// InfluxDB can fail turning into "telemetry unavailable (reason)".

const DB = "telegraf";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let influx: InfluxdInstance;
let cleanup: () => Promise<void>;
const servers: Server[] = [];
const sockets: Socket[] = [];

async function write(lines: (string | undefined)[], database = DB, url = influx.url): Promise<void> {
  const body = lines.filter(Boolean) as string[];
  for (let i = 0; i < body.length; i += 20_000) {
    const res = await fetch(`${url}/write?db=${database}&precision=ms`, {
      method: "POST",
      body: body.slice(i, i + 20_000).join("\n"),
    });
    expect(res.status).toBe(204);
  }
}

const temp = (
  tags: Record<string, string>,
  value: number,
  timeMs: number,
  measurement = "temp",
  field = "temp",
) => toLine({ measurement, tags, floats: { [field]: value }, timeMs });

async function addSite(
  slug: string,
  o: { name?: string; clusters?: string[]; dataSourceId?: string; warn?: number } = {},
) {
  const site = await db().site.create({
    data: {
      slug,
      name: o.name ?? slug,
      kind: "store",
      dataSourceId: o.dataSourceId ?? null,
      clusters: {
        create: (o.clusters ?? []).map((name) => ({
          name,
          server: `https://10.9.${slug.length}.1:6443`,
          contextName: name,
          authKind: "token",
          kubeconfigEnc: "unused",
        })),
      },
    },
    include: { clusters: true },
  });
  // The site level of the threshold chain (what the site form's "hot above" writes).
  if (o.warn !== undefined)
    await setThreshold(
      { level: "site", siteId: site.id },
      { warnCelsius: o.warn, criticalCelsius: null },
      null,
    );
  return site;
}

/** What the worker does once per tick, from a clean slate (so the window reaches back 24 h), at `now`. */
async function tickAt(now = Date.now()): Promise<void> {
  await db().telemetrySourceStatus.deleteMany();
  await db().telemetryNodeLatest.deleteMany();
  forgetRegistry();
  forgetNodeIndex();
  await new TelemetryTick({ now: () => now }).runOnce();
}

type ChartQuery = Omit<SiteTelemetryQuery, "view">;

async function temperatureChart(site: string, q: ChartQuery, o?: { now?: number }) {
  const c = await siteChart(site, { ...q, view: "temperature" }, o);
  if (c.view !== "temperature") throw new Error(`asked for temperature, got ${c.view}`);
  return c satisfies TemperatureChartData;
}

async function connectivityChart(site: string, q: ChartQuery, o?: { now?: number }) {
  const c = await siteChart(site, { ...q, view: "connectivity", rtt: true }, o);
  if (c.view !== "connectivity") throw new Error(`asked for connectivity, got ${c.view}`);
  return c satisfies ConnectivityChartData;
}

async function siteRefs() {
  return db().site.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      dataSourceId: true,
      clusters: { select: { id: true, name: true } },
    },
  });
}

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" })).cleanup;
  influx = await startInfluxd();
  await createDatabase(influx.url, DB);
  await createDataSource({ name: "Telegraf", url: influx.url, database: DB });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await influx?.stop();
  await cleanup?.();
});

describe("fleet-latest with the Telegraf defaults", () => {
  it("joins the simulator's points to sites and clusters and feeds health", async () => {
    const fleet = smallFleet();
    for (const s of fleet.sites) await addSite(s.slug, { clusters: s.clusters.map((c) => c.name) });
    const now = Date.now();
    const nodes = telemetryNodes(fleet);
    await backfill(
      { influxUrl: influx.url, database: DB, intervalMs: 10_000, nodes },
      now - 20 * MINUTE,
      now,
    );
    clearQueryCache();
    await tickAt(now);

    const { bySite, status } = await telemetryForSites(await siteRefs(), { now });
    expect(status).toMatchObject({ state: "ok", dataSources: 1 });
    const alpha = await db().site.findUniqueOrThrow({
      where: { slug: "store-alpha-01" },
      include: { clusters: true },
    });
    const input = bySite.get(alpha.id);
    expect(input?.hosts.map((h) => h.host).sort()).toEqual(
      nodes
        .filter((n) => n.site === "store-alpha-01")
        .map((n) => n.node)
        .sort(),
    );
    for (const h of input?.hosts ?? []) {
      expect(h.clusterId).toBe(alpha.clusters[0]?.id);
      expect(h.tempC).toBeGreaterThan(20);
      expect(now - Date.parse(h.tempAt ?? "")).toBeLessThan(30_000);
      expect(h.lossPct).not.toBeNull();
    }
    expect(input).toMatchObject({ warnCelsius: 80, isExpected: false });

    const health = await fleetHealth(now + 1);
    expect(health.telemetry.state).toBe("ok");
    const alphaHealth = health.sites.find((s) => s.slug === "store-alpha-01");
    // Not contacted yet (no collector here), but its sensors talk: the axes say so separately.
    expect(alphaHealth?.axes.reach).toBe("unknown");
    expect(["ok", "hot"]).toContain(alphaHealth?.axes.telemetry);
  });
});

describe("custom mappings", () => {
  it("reads other measurement, field and tag names", async () => {
    const mapping: MappingInput = {
      siteTag: "location",
      clusterTag: "k8s",
      hostTag: "node",
      temperature: { measurement: "board", field: "celsius", sensorTag: null },
      connectivity: null,
      turbine: null,
    };
    const ds = await createDataSource({ name: "Custom", url: influx.url, database: DB, mapping });
    const site = await addSite("custom-site", { clusters: ["edge"], dataSourceId: ds.id, warn: 70 });
    const now = Date.now();
    await write([
      temp({ location: "custom-site", k8s: "edge", node: "c-1" }, 71.5, now - 30_000, "board", "celsius"),
      temp({ location: "custom-site", k8s: "edge", node: "c-2" }, 55, now - 20_000, "board", "celsius"),
      // Same names in the default measurement must not leak in.
      temp({ site: "custom-site", host: "intruder" }, 99, now - 10_000),
    ]);
    clearQueryCache();
    await tickAt(now);
    const { bySite } = await telemetryForSites(await siteRefs(), { now });
    const input = bySite.get(site.id);
    expect(input?.isExpected).toBe(true);
    expect(input?.warnCelsius).toBe(70);
    expect(input?.hosts.map((h) => [h.host, h.tempC, h.clusterId])).toEqual(
      expect.arrayContaining([
        ["c-1", 71.5, site.clusters[0]?.id],
        ["c-2", 55, site.clusters[0]?.id],
      ]),
    );
    expect(input?.hosts).toHaveLength(2);

    const chart = await temperatureChart("custom-site", { range: "1h", width: 600 }, { now });
    expect(chart.unavailable).toBeNull();
    expect(chart.lines.map((s) => s.id)).toEqual(["c-1", "c-2"]);
    expect(chart.matrix.rows.map((r) => r.id)).toEqual(["c-1", "c-2"]);
    expect(chart.threshold).toEqual({ celsius: 70, source: "set on this site" });
    const link = await connectivityChart("custom-site", { range: "1h", width: 600 }, { now });
    expect(link.timeline).toEqual([]);
    expect(link.rtt).toEqual([]);

    const health = (await fleetHealth(now + 10_000)).sites.find((s) => s.slug === "custom-site");
    expect(health?.axes.telemetry).toBe("hot");
    expect(health?.reasons.find((r) => r.code === "telemetry-hot")?.sentence).toBe(
      "c-1 at 71.5 °C (warning above 70.0 °C)",
    );

    // A node override is the node's level of the same chain: health, charts and the sentence follow it.
    const clusterId = site.clusters[0]?.id ?? "";
    await setThreshold(
      { level: "node", clusterId, node: "c-2" },
      { warnCelsius: 50, criticalCelsius: null },
      "op",
    );
    const after = (await fleetHealth(now + 12_000)).sites.find((s) => s.slug === "custom-site");
    expect(after?.reasons.find((r) => r.code === "telemetry-hot")?.sentence).toBe(
      "2 nodes hot: c-1 71.5 °C (above 70.0 °C), c-2 55.0 °C (above 50.0 °C)",
    );
    const chartAfter = await temperatureChart("custom-site", { range: "1h", width: 600 }, { now });
    expect(chartAfter.threshold).toEqual({ celsius: 70, source: "set on this site" });
    expect(chartAfter.hostThresholds).toEqual({ "c-2": { celsius: 50, source: "set on node c-2" } });
  });

  it("joins by host name to the nodes the collector saw", async () => {
    const ds = await createDataSource({
      name: "Hosts only",
      url: influx.url,
      database: DB,
      mapping: { join: "host", temperature: { measurement: "hosttemp" }, connectivity: null, turbine: null },
    });
    const site = await addSite("host-join", { clusters: ["k3s"], dataSourceId: ds.id });
    const clusterId = site.clusters[0]?.id ?? "";
    await db().clusterStatus.create({
      data: { clusterId, snapshot: JSON.stringify({ nodes: [{ name: "hj-1" }, { name: "hj-2" }] }) },
    });
    const now = Date.now();
    await write([
      temp({ host: "hj-1" }, 61, now - 5_000, "hosttemp"),
      temp({ host: "hj-2" }, 62, now - 5_000, "hosttemp"),
      temp({ host: "stranger" }, 63, now - 5_000, "hosttemp"),
    ]);
    clearQueryCache();
    await tickAt(now + 120_000);
    const { bySite } = await telemetryForSites(await siteRefs(), { now: now + 120_000 });
    expect(
      bySite
        .get(site.id)
        ?.hosts.map((h) => [h.host, h.clusterId])
        .sort(),
    ).toEqual([
      ["hj-1", clusterId],
      ["hj-2", clusterId],
    ]);
    const chart = await temperatureChart(site.id, { range: "15m", width: 400 }, { now });
    expect(chart.lines.map((s) => s.id)).toEqual(["hj-1", "hj-2"]);
  });
});

describe("escaping against a real influxd", () => {
  const HOSTILE = [
    "x' OR 1=1 --",
    "' OR \"site\" =~ /.*/ OR '",
    "a\\b",
    'q"uo',
    "it's",
    "back\\' OR '1'='1",
    "semi; DROP DATABASE telegraf",
  ];

  it("keeps each hostile site name to its own points and harms nothing", async () => {
    const ds = await createDataSource({
      name: "By name",
      url: influx.url,
      database: DB,
      mapping: {
        siteValue: "name",
        temperature: { measurement: "named" },
        connectivity: null,
        turbine: null,
      },
    });
    const now = Date.now();
    const lines: (string | undefined)[] = [];
    for (const [i, name] of HOSTILE.entries()) {
      await addSite(`hostile-${i}`, { name, dataSourceId: ds.id });
      lines.push(temp({ site: name, host: `h${i} "q'` }, 40 + i, now - 10_000, "named"));
    }
    lines.push(temp({ site: "bystander", host: "bystander-1" }, 90, now - 10_000, "named"));
    await write(lines);
    clearQueryCache();
    for (const [i, name] of HOSTILE.entries()) {
      const chart = await temperatureChart(`hostile-${i}`, { range: "15m", width: 300 }, { now });
      expect(chart.unavailable, name).toBeNull();
      expect(
        chart.lines.map((s) => s.label),
        name,
      ).toEqual([`h${i} "q'`]);
      expect(chart.lines[0]?.points.at(-1)?.max, name).toBe(40 + i);
      expect(chart.matrix.rows.map((r) => r.id)).toEqual([`h${i} "q'`]);
    }
    await tickAt(now);
    const { bySite } = await telemetryForSites(await siteRefs(), { now });
    const site0 = await db().site.findUniqueOrThrow({ where: { slug: "hostile-0" } });
    expect(bySite.get(site0.id)?.hosts.map((h) => h.host)).toEqual(["h0 \"q'"]);
    // The database and the bystander are still there.
    const bystander = await addSite("bystander-site", { name: "bystander", dataSourceId: ds.id });
    clearQueryCache();
    const after = await temperatureChart(bystander.id, { range: "15m", width: 300 }, { now });
    expect(after.lines.map((s) => s.label)).toEqual(["bystander-1"]);
  });
});

describe("charts: bucket counts, spikes, gaps and late points", () => {
  it("keeps 7 days of 10 s data under 1,000 points per series with the spike in max", async () => {
    const site = await addSite("agg-site");
    const now = Date.now();
    const start = now - 7 * DAY;
    const spikeAt = start + 3 * DAY + 12_345;
    const lines: (string | undefined)[] = [];
    for (let t = start; t <= now; t += 10_000) {
      lines.push(
        temp(
          { site: "agg-site", cluster: "k3s", host: "agg-1", sensor: "cpu_thermal" },
          50 + Math.sin(t / HOUR),
          t,
        ),
      );
    }
    lines.push(
      temp({ site: "agg-site", cluster: "k3s", host: "agg-1", sensor: "cpu_thermal" }, 120, spikeAt),
    );
    await write(lines);
    clearQueryCache();
    const chart = await temperatureChart(site.id, { range: "7d", width: 1_200 }, { now });
    const series = chart.lines[0];
    expect(series?.points.length).toBeGreaterThan(500);
    expect(series?.points.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    const peak = series?.points.reduce((a, p) => Math.max(a, p.max ?? 0), 0);
    expect(peak).toBe(120);
    const spikeBucket = series?.points.find((p) => p.max === 120);
    expect(spikeBucket?.mean).toBeLessThan(55);
    expect(chart.intervalMs).toBe(15 * MINUTE);
    // The heatmap row holds each bucket's highest reading: the spike survives there too.
    const cells = chart.matrix.rows[0]?.cells ?? [];
    expect(cells.length).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    expect(Math.max(...cells.map((c) => c ?? 0))).toBe(120);
  });

  it("shows an outage as missing buckets and puts late points where they belong", async () => {
    const site = await addSite("gap-site");
    const now = Date.now();
    const tags = { site: "gap-site", cluster: "k3s", host: "gap-1", sensor: "cpu_thermal" };
    const outageFrom = now - 40 * MINUTE;
    const outageTo = now - 20 * MINUTE;
    const lines: (string | undefined)[] = [];
    for (let t = now - HOUR; t <= now; t += 10_000) {
      if (t >= outageFrom && t < outageTo) continue;
      lines.push(temp(tags, 60, t));
    }
    await write(lines);
    clearQueryCache();
    const before = await temperatureChart(site.id, { range: "1h", width: 360 }, { now });
    const points = before.lines[0]?.points ?? [];
    const inOutage = (p: { t: number }) => p.t >= outageFrom && p.t + before.intervalMs <= outageTo;
    expect(points.filter(inOutage)).toEqual([]);
    // Nothing invented at the edges either: every bucket mean is a real reading.
    expect(points.every((p) => p.mean === 60)).toBe(true);

    // The site's link comes back and flushes the buffered hour with original timestamps.
    const late: (string | undefined)[] = [];
    for (let t = outageFrom; t < outageTo; t += 10_000) late.push(temp(tags, 70, t));
    await write(late);
    clearQueryCache();
    const after = await temperatureChart(site.id, { range: "1h", width: 360 }, { now });
    const filled = (after.lines[0]?.points ?? []).filter(inOutage);
    expect(filled.length).toBeGreaterThan(10);
    expect(filled.every((p) => p.mean === 70)).toBe(true);
  });

  it("draws connectivity as up/down runs per node, and RTT lines on demand", async () => {
    const site = await addSite("link-site");
    const now = Date.now();
    const tags = { site: "link-site", cluster: "k3s", host: "link-1", url: "hub" };
    const lines: (string | undefined)[] = [];
    for (let t = now - HOUR; t <= now; t += 10_000) {
      const isDown = t >= now - 30 * MINUTE && t < now - 15 * MINUTE;
      lines.push(
        toLine({
          measurement: "ping",
          tags,
          floats: isDown ? { percent_packet_loss: 100 } : { percent_packet_loss: 0, average_response_ms: 42 },
          ints: { result_code: isDown ? 2 : 0 },
          timeMs: t,
        }),
      );
    }
    await write(lines);
    clearQueryCache();
    const chart = await connectivityChart(site.id, { range: "1h", width: 360 }, { now });
    const runs = chart.timeline.find((b) => b.host === "link-1")?.runs ?? [];
    const down = runs.filter((b) => b.state === "down");
    expect(down).toHaveLength(1);
    expect((down[0]?.to ?? 0) - (down[0]?.from ?? 0)).toBeGreaterThanOrEqual(13 * MINUTE);
    // 20 s buckets of 10 s samples: a bucket that holds the outage's edge (when it falls inside one)
    // lost half its probes; nothing else around the outage is called lossy.
    expect(runs.map((r) => r.state).join(",")).toMatch(/^up,(lossy,)?down,(lossy,)?up$/);
    for (const edge of runs.filter((r) => r.state === "lossy"))
      expect(edge.to - edge.from).toBe(chart.intervalMs);
    const rtt = chart.rtt?.[0]?.points ?? [];
    expect(rtt.length).toBeGreaterThan(10);
    expect(rtt.filter((p) => p.t > now - 29 * MINUTE && p.t < now - 16 * MINUTE)).toEqual([]);
  });
});

describe("InfluxDB unavailable", () => {
  async function pointSourceAt(url: string, timeoutMs = 10_000, database = DB) {
    await db().dataSource.deleteMany({ where: { name: "Broken" } });
    const ds = await createDataSource({ name: "Broken", url, database, timeoutMs });
    await db().site.deleteMany({ where: { slug: "broken-site" } });
    const site = await addSite("broken-site", { dataSourceId: ds.id });
    clearQueryCache();
    return site;
  }

  it("says unreachable when nothing listens, without throwing", async () => {
    const port = await freeLoopbackPort();
    const site = await pointSourceAt(`http://127.0.0.1:${port}`);
    await tickAt();
    const { status, bySite } = await telemetryForSites(await siteRefs(), { now: Date.now() });
    expect(status).toMatchObject({ state: "unavailable", reason: "unreachable" });
    expect(bySite.has(site.id)).toBe(false);
    const chart = await temperatureChart(site.id, { range: "1h", width: 500 });
    expect(chart.unavailable).toMatchObject({ reason: "unreachable" });
    expect(chart.lines).toEqual([]);
    expect(chart.matrix.rows).toEqual([]);
  });

  it("says timeout for a server that accepts and never answers, within the budget", async () => {
    const server = createServer((socket) => sockets.push(socket));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const site = await pointSourceAt(`http://127.0.0.1:${port}`, 800);
    const started = performance.now();
    const chart = await temperatureChart(site.id, { range: "1h", width: 500 });
    expect(chart.unavailable).toMatchObject({ reason: "timeout" });
    expect(performance.now() - started).toBeLessThan(3_000);
    // The tick waits for the silent server (its own deadline); the roll-up reads what it stored at once.
    clearQueryCache();
    await tickAt();
    const rollStarted = performance.now();
    const { status } = await telemetryForSites(await siteRefs());
    expect(performance.now() - rollStarted).toBeLessThan(300);
    expect(status).toMatchObject({ state: "unavailable", reason: "timeout" });
    expect(status.state === "unavailable" && status.message).toMatch(/^Broken: InfluxDB not answering/);
    // A chart of a source the tick knows to be silent answers at once, without asking again.
    const chartStarted = performance.now();
    const again = await temperatureChart(site.id, { range: "1h", width: 500 });
    expect(performance.now() - chartStarted).toBeLessThan(300);
    expect(again.unavailable).toMatchObject({ reason: "timeout" });
  });

  it("says database missing, and auth for a 401", async () => {
    const missing = await pointSourceAt(influx.url, 5_000, "no_such_db");
    const m = await temperatureChart(missing.id, { range: "1h", width: 500 });
    expect(m.unavailable).toMatchObject({
      reason: "database-missing",
    });
    const { createServer: createHttp } = await import("node:http");
    const http401 = createHttp((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "authorization failed" }));
    });
    await new Promise<void>((r) => http401.listen(0, "127.0.0.1", r));
    try {
      const port = (http401.address() as { port: number }).port;
      const site = await pointSourceAt(`http://127.0.0.1:${port}`);
      expect((await temperatureChart(site.id, { range: "1h", width: 500 })).unavailable).toMatchObject({
        reason: "auth",
      });
    } finally {
      await new Promise((r) => http401.close(r));
    }
  });

  it("turns a stopped influxd into unknown telemetry, never a broken roll-up", async () => {
    const second = await startInfluxd();
    try {
      await createDatabase(second.url, DB);
      const site = await pointSourceAt(second.url);
      await write([temp({ site: "broken-site", host: "b-1" }, 50, Date.now() - 5_000)], DB, second.url);
      const okAt = Date.now();
      await tickAt(okAt);
      const ok = await telemetryForSites(await siteRefs(), { now: okAt });
      expect(ok.status.state).toBe("ok");
      expect(ok.bySite.get(site.id)?.hosts.map((h) => h.host)).toEqual(["b-1"]);
      await second.stop();
      clearQueryCache();
      // The next tick finds it gone; a minute later nothing of the old answer passes for current.
      await new TelemetryTick({ now: () => okAt + 40_000 }).runOnce();
      const health = await fleetHealth(okAt + 60_000);
      expect(health.telemetry).toMatchObject({
        state: "unavailable",
        reason: "unreachable",
        message: expect.stringMatching(/^Broken: InfluxDB not answering for 1 m: /),
      });
      const broken = health.sites.find((s) => s.siteId === site.id);
      expect(broken?.axes.telemetry).toBe("unknown");
      expect(health.counts.total).toBeGreaterThan(5);
    } finally {
      await second.stop();
      await db().dataSource.deleteMany({ where: { name: "Broken" } });
    }
  });
});
