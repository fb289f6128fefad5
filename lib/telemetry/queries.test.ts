import { describe, expect, it } from "vitest";
import { connectivityChart, latestStatements, temperatureChart, turbineChart } from "./queries";
import { DEFAULT_MAPPING, mappingSchema } from "./schemas";

const T0 = Date.UTC(2025, 0, 15, 12);

describe("InfluxQL per view", () => {
  it("asks the whole fleet for its latest values in one GROUP BY, one selector per statement", () => {
    expect(latestStatements(DEFAULT_MAPPING, null, 15 * 60_000)).toEqual([
      `SELECT last("temp") AS "v" FROM "temp" WHERE time > now() - 15m GROUP BY "site", "cluster", "host", "sensor"`,
      `SELECT last("percent_packet_loss") AS "v" FROM "ping" WHERE time > now() - 15m GROUP BY "site", "cluster", "host"`,
    ]);
  });

  it("buckets a site's chart by time and host with min/mean/max and fill(none)", () => {
    const scope = { kind: "tag" as const, tag: "site", values: ["x' OR 1=1 --"] };
    expect(temperatureChart(DEFAULT_MAPPING, "autogen", scope, T0 - 3_600_000, T0, 20_000)).toBe(
      `SELECT min("temp") AS "min", mean("temp") AS "mean", max("temp") AS "max" FROM "autogen"."temp"` +
        ` WHERE "site" = 'x\\' OR 1=1 --' AND time >= ${T0 - 3_600_000}ms AND time < ${T0}ms` +
        ` GROUP BY time(20s), "host", "sensor" fill(none)`,
    );
    expect(connectivityChart(DEFAULT_MAPPING, null, scope, T0 - 60_000, T0, 20_000)).toContain(
      `min("percent_packet_loss") AS "loss_min"`,
    );
    expect(turbineChart(DEFAULT_MAPPING, null, scope, T0 - 60_000, T0, 20_000)).toContain(
      `max("nacelle_temp_c") AS "x6"`,
    );
  });

  it("joins by host with an OR-list and leaves out what the mapping turns off", () => {
    const m = mappingSchema.parse({
      join: "host",
      connectivity: null,
      turbine: null,
      temperature: { sensorTag: null },
    });
    expect(latestStatements(m, null, 60_000, { kind: "hosts", hosts: ["a", 'b"c'] })).toEqual([
      `SELECT last("temp") AS "v" FROM "temp" WHERE time > now() - 1m AND ("host" = 'a' OR "host" = 'b"c') GROUP BY "host"`,
    ]);
    expect(connectivityChart(m, null, { kind: "fleet" }, 0, 60_000, 10_000)).toBeNull();
    expect(turbineChart(m, null, { kind: "fleet" }, 0, 60_000, 10_000)).toBeNull();
  });
});
