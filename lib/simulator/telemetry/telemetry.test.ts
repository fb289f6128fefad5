import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDatabase,
  type InfluxdInstance,
  queryInflux,
  quoteLiteral,
  startInfluxd,
} from "@/lib/testing/influxd";
import { waitFor } from "../testing";
import {
  backfill,
  type OutpostTelemetryHandle,
  PING_RESULT_ERROR,
  PING_TARGET,
  type StartTelemetryOptions,
  sampleOffsetMs,
  startTelemetry,
  type TelemetryFaults,
  type TelemetryNode,
} from "./index";

const INTERVAL_MS = 10_000;
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const HOSTILE_SITE = "x' OR 1=1 --";

const FLEET: TelemetryNode[] = [
  { site: "store-0042", siteKind: "store", cluster: "k3s", node: "store-0042-a", isTurbine: false, seed: 1 },
  { site: "store-0042", siteKind: "store", cluster: "k3s", node: "store-0042-b", isTurbine: false, seed: 2 },
  {
    site: "wf-north",
    siteKind: "wind-farm",
    cluster: "control",
    node: "wf-ctl-1",
    isTurbine: false,
    seed: 3,
  },
  { site: "wf-north", siteKind: "wind-farm", cluster: "t01", node: "t01", isTurbine: true, seed: 4 },
  { site: "wf-north", siteKind: "wind-farm", cluster: "t02", node: "t02", isTurbine: true, seed: 5 },
  {
    site: HOSTILE_SITE,
    siteKind: "vehicle",
    cluster: "truck, 7",
    node: "truck=7 a",
    isTurbine: false,
    seed: 6,
  },
];

class FakeFaults implements TelemetryFaults {
  downSites = new Set<string>();
  brokenClusters = new Set<string>();
  downNodes = new Set<string>();
  overheat = new Map<string, number>();
  clockOffsets = new Map<string, number>();
  isUplinkDown(site: string) {
    return this.downSites.has(site);
  }
  isTelemetryBroken(_site: string, cluster: string) {
    return this.brokenClusters.has(cluster);
  }
  overheatCelsius(_site: string, _cluster: string, node: string) {
    return this.overheat.get(node) ?? 0;
  }
  isNodeDown(_site: string, _cluster: string, node: string) {
    return this.downNodes.has(node);
  }
  clockOffsetMs(_site: string, _cluster: string, node: string) {
    return this.clockOffsets.get(node) ?? 0;
  }
}

let influx: InfluxdInstance;
let dbCounter = 0;
const handles: OutpostTelemetryHandle[] = [];

beforeAll(async () => {
  influx = await startInfluxd();
});
afterAll(async () => {
  await Promise.all(handles.map((handle) => handle.stop()));
  await influx?.stop();
});

async function setup(overrides: Partial<StartTelemetryOptions> = {}) {
  const database = `telemetry_${++dbCounter}`;
  await createDatabase(influx.url, database);
  const faults = new FakeFaults();
  const clock = { now: T0 };
  const handle = startTelemetry({
    influxUrl: influx.url,
    database,
    intervalMs: INTERVAL_MS,
    nodes: FLEET,
    faults,
    now: () => clock.now,
    tickMs: 0,
    ...overrides,
  });
  handles.push(handle);
  return { database, faults, clock, handle };
}

async function rows(database: string, q: string): Promise<unknown[][]> {
  const result = await queryInflux(influx.url, q, { db: database });
  return result.results[0]?.series?.flatMap((series) => series.values) ?? [];
}

async function times(database: string, measurement: string, host: string, fromMs = 0) {
  const values = await rows(
    database,
    `SELECT * FROM ${measurement} WHERE host = ${quoteLiteral(host)} AND time > ${fromMs}ms`,
  );
  return values.map((row) => row[0] as number);
}

/** Sample times of a node in (afterMs, untilMs], computed from its published offset. */
function expectedTimes(node: TelemetryNode, afterMs: number, untilMs: number): number[] {
  const offset = sampleOffsetMs(node, INTERVAL_MS);
  const out: number[] = [];
  for (let t = Math.floor(afterMs / INTERVAL_MS) * INTERVAL_MS + offset; t <= untilMs; t += INTERVAL_MS) {
    if (t > afterMs) out.push(t);
  }
  return out;
}

function node(name: string): TelemetryNode {
  const found = FLEET.find((candidate) => candidate.node === name);
  if (!found) throw new Error(name);
  return found;
}

describe("telemetry into a real InfluxDB", () => {
  it("writes Telegraf-shaped temp, ping and turbine points with site and cluster tags", async () => {
    const { database, clock, handle } = await setup();
    clock.now = T0 + 5 * MINUTE;
    await handle.flush();

    for (const fleetNode of FLEET) {
      expect(await times(database, "temp", fleetNode.node), fleetNode.node).toEqual(
        expectedTimes(fleetNode, T0, clock.now),
      );
    }
    const tempTags = await queryInflux(influx.url, "SHOW TAG KEYS FROM temp", { db: database });
    expect(tempTags.results[0]?.series?.[0]?.values?.map((row) => row[0])).toEqual([
      "cluster",
      "host",
      "sensor",
      "site",
    ]);
    const sensors = await queryInflux(influx.url, `SHOW TAG VALUES FROM temp WITH KEY = "sensor"`, {
      db: database,
    });
    for (const row of sensors.results[0]?.series?.[0]?.values ?? []) {
      expect(["cpu_thermal", "coretemp_package_id_0"]).toContain(row[1]);
    }

    const pingFields = await queryInflux(influx.url, "SHOW FIELD KEYS FROM ping", { db: database });
    expect(Object.fromEntries(pingFields.results[0]?.series?.[0]?.values ?? [])).toEqual({
      average_response_ms: "float",
      maximum_response_ms: "float",
      minimum_response_ms: "float",
      packets_received: "integer",
      packets_transmitted: "integer",
      percent_packet_loss: "float",
      result_code: "integer",
    });
    const urls = await rows(database, `SHOW TAG VALUES FROM ping WITH KEY = "url"`);
    expect(urls).toEqual([["url", PING_TARGET]]);

    // The hostile names come back as plain data, and map the point to its site and cluster.
    const truck = await rows(
      database,
      `SELECT temp, site, "cluster" FROM temp WHERE host = ${quoteLiteral("truck=7 a")} LIMIT 1`,
    );
    expect(truck[0]?.slice(2)).toEqual([HOSTILE_SITE, "truck, 7"]);

    // RTT follows the site's link: the store's wired line beats the truck's cellular or satellite.
    const [storeRtt] = await rows(
      database,
      `SELECT mean(average_response_ms) FROM ping WHERE site = 'store-0042'`,
    );
    const [truckRtt] = await rows(
      database,
      `SELECT mean(average_response_ms) FROM ping WHERE site = ${quoteLiteral(HOSTILE_SITE)}`,
    );
    expect(storeRtt?.[1]).toBeGreaterThanOrEqual(15);
    expect(storeRtt?.[1]).toBeLessThanOrEqual(80);
    expect(truckRtt?.[1]).toBeGreaterThan(storeRtt?.[1] as number);

    const turbineHosts = await rows(database, `SHOW TAG VALUES FROM turbine WITH KEY = "host"`);
    expect(turbineHosts.map((row) => row[1]).sort()).toEqual(["t01", "t02"]);
    const [turbine] = await rows(
      database,
      "SELECT power_kw, rotor_rpm, generator_rpm, pitch_deg, yaw_deg, wind_speed_ms, nacelle_temp_c FROM turbine LIMIT 1",
    );
    expect(turbine?.slice(1).every((value) => typeof value === "number")).toBe(true);

    const stats = handle.stats();
    expect(stats.pointsWritten).toBe(stats.pointsGenerated);
    expect(stats.writeErrors).toBe(0);
    expect(stats.lastWriteMs).toBe(clock.now);
  });

  it("stores and forwards a site's points across an uplink outage with original timestamps", async () => {
    const { database, faults, clock, handle } = await setup();
    const store = ["store-0042-a", "store-0042-b"].map(node);
    clock.now = T0 + 2 * MINUTE;
    await handle.flush();
    const outageStart = clock.now;

    faults.downSites.add("store-0042");
    clock.now = T0 + 4 * MINUTE;
    await handle.flush();
    clock.now = T0 + 6 * MINUTE;
    await handle.flush();
    const outageEnd = clock.now;

    for (const storeNode of store) {
      expect(await times(database, "temp", storeNode.node, outageStart)).toEqual([]);
      expect(await times(database, "ping", storeNode.node, outageStart)).toEqual([]);
    }
    // The wind farm keeps reporting meanwhile.
    expect(await times(database, "temp", "t01", outageStart)).toEqual(
      expectedTimes(node("t01"), outageStart, outageEnd),
    );
    const buffered = store.reduce((sum, n) => sum + expectedTimes(n, outageStart, outageEnd).length * 2, 0);
    expect(handle.stats().pointsBuffered).toBe(buffered);

    faults.downSites.delete("store-0042");
    clock.now = T0 + 7 * MINUTE;
    await handle.flush();

    for (const storeNode of store) {
      expect(await times(database, "temp", storeNode.node, outageStart)).toEqual(
        expectedTimes(storeNode, outageStart, clock.now),
      );
      const pings = await rows(
        database,
        `SELECT result_code, percent_packet_loss, packets_received, average_response_ms FROM ping
         WHERE host = ${quoteLiteral(storeNode.node)} AND time > ${outageStart}ms`,
      );
      expect(pings.map((row) => row[0])).toEqual(expectedTimes(storeNode, outageStart, clock.now));
      const during = pings.filter((row) => (row[0] as number) <= outageEnd);
      const after = pings.filter((row) => (row[0] as number) > outageEnd);
      expect(during.length).toBeGreaterThan(0);
      for (const row of during) expect(row.slice(1)).toEqual([PING_RESULT_ERROR, 100, 0, null]);
      expect(after.length).toBeGreaterThan(0);
      for (const row of after) expect(row[1]).toBe(0);
    }
    expect(handle.stats().pointsBuffered).toBe(0);
    expect(handle.stats().pointsWritten).toBe(handle.stats().pointsGenerated);
  });

  it("drops the oldest buffered points when a site's buffer is full, and counts them", async () => {
    const { database, faults, clock, handle } = await setup({ siteBufferLimit: 10 });
    faults.downSites.add("store-0042");
    clock.now = T0 + 5 * MINUTE;
    await handle.flush();
    const produced = ["store-0042-a", "store-0042-b"].reduce(
      (sum, name) => sum + expectedTimes(node(name), T0, clock.now).length * 2,
      0,
    );
    expect(handle.stats().pointsBuffered).toBe(10);
    expect(handle.stats().pointsDropped).toBe(produced - 10);

    faults.downSites.clear();
    await handle.flush();
    const kept = await rows(database, `SELECT count(temp) FROM temp WHERE site = 'store-0042'`);
    const keptPings = await rows(database, `SELECT count(result_code) FROM ping WHERE site = 'store-0042'`);
    expect((kept[0]?.[1] as number) + (keptPings[0]?.[1] as number)).toBe(10);
    // Newest survive: nothing older than the last few samples.
    const oldest = await rows(database, `SELECT first(temp) FROM temp WHERE site = 'store-0042'`);
    expect(oldest[0]?.[0]).toBeGreaterThan(clock.now - 4 * INTERVAL_MS);
  });

  it("writes nothing for broken telemetry or downed nodes, and adds overheat on top", async () => {
    const healthy = await setup();
    const faulty = await setup();
    faulty.faults.brokenClusters.add("t01");
    faulty.faults.downNodes.add("store-0042-b");
    faulty.faults.overheat.set("wf-ctl-1", 50);
    for (const run of [healthy, faulty]) {
      run.clock.now = T0 + 5 * MINUTE;
      await run.handle.flush();
    }

    expect(await times(faulty.database, "temp", "t01")).toEqual([]);
    expect(await times(faulty.database, "turbine", "t01")).toEqual([]);
    expect(await times(faulty.database, "ping", "store-0042-b")).toEqual([]);
    expect((await times(faulty.database, "turbine", "t02")).length).toBe(30);
    expect((await times(faulty.database, "temp", "store-0042-a")).length).toBe(30);

    const temps = async (database: string, host: string) =>
      (await rows(database, `SELECT temp FROM temp WHERE host = ${quoteLiteral(host)}`)).map(
        (row) => row[1] as number,
      );
    const normal = await temps(healthy.database, "wf-ctl-1");
    const hot = await temps(faulty.database, "wf-ctl-1");
    expect(hot).toHaveLength(30);
    expect(hot.length).toBe(normal.length);
    for (const [index, value] of hot.entries()) {
      expect(value).toBeGreaterThan(80);
      expect(value - (normal[index] as number)).toBeCloseTo(50, 5);
    }
    // Same seeds and times, no overheat: identical readings on the untouched nodes.
    expect(await temps(faulty.database, "t02")).toEqual(await temps(healthy.database, "t02"));
  });

  it("timestamps a skewed node's points by its wrong clock, values as measured", async () => {
    const healthy = await setup();
    const skewed = await setup();
    skewed.faults.clockOffsets.set("t02", 2 * 3_600_000);
    for (const run of [healthy, skewed]) {
      run.clock.now = T0 + 5 * MINUTE;
      await run.handle.flush();
    }
    const real = await times(healthy.database, "temp", "t02");
    expect(real).toHaveLength(30);
    expect(await times(skewed.database, "temp", "t02")).toEqual(real.map((t) => t + 2 * 3_600_000));
    expect(await times(skewed.database, "ping", "t02")).toEqual(real.map((t) => t + 2 * 3_600_000));
    // The others keep the true time.
    expect(await times(skewed.database, "temp", "t01")).toEqual(await times(healthy.database, "temp", "t01"));
  });

  it("skips intervals missed during a stall beyond the catch-up limit, like Telegraf", async () => {
    const { database, clock, handle } = await setup({ maxCatchUpSamples: FLEET.length * 3 });
    clock.now = T0 + 60 * MINUTE;
    await handle.flush();
    for (const fleetNode of FLEET) {
      expect(await times(database, "temp", fleetNode.node)).toEqual(
        expectedTimes(fleetNode, clock.now - 3 * INTERVAL_MS, clock.now),
      );
    }
  });

  it("batches lines into few requests", async () => {
    const nodes: TelemetryNode[] = Array.from({ length: 200 }, (_, index) => ({
      site: `store-${Math.floor(index / 3)}`,
      siteKind: "store",
      cluster: "k3s",
      node: `n${index}`,
      isTurbine: index % 10 === 0,
      seed: index,
    }));
    const { database, clock, handle } = await setup({ nodes, intervalMs: 1_000, batchLines: 1_000 });
    clock.now = T0 + MINUTE;
    await handle.flush();
    const stats = handle.stats();
    expect(stats.pointsGenerated).toBe(200 * 60 * 2 + 20 * 60);
    expect(stats.pointsWritten).toBe(stats.pointsGenerated);
    expect(stats.writeRequests).toBeLessThanOrEqual(Math.ceil(stats.pointsWritten / 1_000));
    const counted = await Promise.all(
      [
        ["temp", "temp"],
        ["ping", "result_code"],
        ["turbine", "power_kw"],
      ].map(
        async ([measurement, field]) =>
          (await rows(database, `SELECT count(${field}) FROM ${measurement}`))[0]?.[1],
      ),
    );
    expect(counted).toEqual([200 * 60, 200 * 60, 20 * 60]);
  });

  it("keeps points while InfluxDB is down and delivers them when it is back", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "telemetry-outage-"));
    const own = await startInfluxd({ dataDir });
    try {
      await createDatabase(own.url, "outage");
      const faults = new FakeFaults();
      const clock = { now: T0 };
      const handle = startTelemetry({
        influxUrl: own.url,
        database: "outage",
        intervalMs: INTERVAL_MS,
        nodes: FLEET,
        faults,
        now: () => clock.now,
        tickMs: 0,
      });
      handles.push(handle);
      await own.stop();
      clock.now = T0 + 3 * MINUTE;
      await expect(handle.flush()).rejects.toThrow(/unreachable/);
      const during = handle.stats();
      expect(during.writeErrors).toBeGreaterThan(0);
      expect(during.pointsWritten).toBe(0);
      expect(during.pointsQueued).toBe(during.pointsGenerated);

      const back = await startInfluxd({ dataDir, port: own.port });
      try {
        // No flush: the writer's own backoff timer retries and delivers the backlog.
        const deadline = Date.now() + 10_000;
        while (handle.stats().pointsWritten < during.pointsGenerated && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(handle.stats().pointsWritten).toBe(during.pointsGenerated);
        await handle.flush();
        const result = await queryInflux(back.url, "SELECT count(temp) FROM temp", { db: "outage" });
        expect(result.results[0]?.series?.[0]?.values?.[0]?.[1]).toBe(FLEET.length * 18);
      } finally {
        await back.stop();
      }
    } finally {
      await own.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("samples on a real shared ticker", async () => {
    const database = `telemetry_${++dbCounter}`;
    await createDatabase(influx.url, database);
    const start = Date.now();
    const handle = startTelemetry({
      influxUrl: influx.url,
      database,
      intervalMs: 200,
      nodes: FLEET,
      faults: new FakeFaults(),
      tickMs: 50,
    });
    handles.push(handle);
    // Until the ticker itself (no flush) has delivered four samples of t01, however busy the machine.
    await waitFor(async () => {
      const counted = (await rows(database, `SELECT count(temp) FROM temp WHERE host = 't01'`))[0]?.[1];
      return typeof counted === "number" && counted >= 4;
    }, 30_000);
    await handle.stop();
    const end = Date.now();
    const values = await rows(database, `SELECT temp FROM temp WHERE host = 't01'`);
    const stamps = values.map((row) => row[0] as number);
    expect(stamps.length).toBeGreaterThanOrEqual(4);
    for (const stamp of stamps) {
      expect(stamp).toBeGreaterThan(start);
      expect(stamp).toBeLessThanOrEqual(end);
      expect((stamp - sampleOffsetMs(node("t01"), 200)) % 200).toBe(0);
    }
  });
});

describe("backfill", () => {
  it("writes the same history a live run would, in streamed batches", async () => {
    const database = `telemetry_${++dbCounter}`;
    await createDatabase(influx.url, database);
    const result = await backfill(
      { influxUrl: influx.url, database, intervalMs: INTERVAL_MS, nodes: FLEET, batchLines: 500 },
      T0 + 1,
      T0 + 30 * MINUTE,
    );
    const expectedPoints = FLEET.reduce(
      (sum, n) => sum + expectedTimes(n, T0, T0 + 30 * MINUTE).length * (n.isTurbine ? 3 : 2),
      0,
    );
    expect(result.points).toBe(expectedPoints);
    expect(result.requests).toBe(Math.ceil(expectedPoints / 500));

    const live = await setup();
    live.clock.now = T0 + 30 * MINUTE;
    await live.handle.flush();
    for (const host of ["t01", "store-0042-a", "truck=7 a"]) {
      const q = `SELECT * FROM temp WHERE host = ${quoteLiteral(host)}`;
      const backfilled = await rows(database, q);
      expect(backfilled).toHaveLength(180);
      expect(backfilled).toEqual(await rows(live.database, q));
    }
  });
});
