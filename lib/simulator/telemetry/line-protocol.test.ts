import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDatabase,
  type InfluxdInstance,
  queryInflux,
  quoteLiteral,
  startInfluxd,
} from "@/lib/testing/influxd";
import { sanitizeTagValue, toLine } from "./line-protocol";

describe("toLine", () => {
  it("escapes tag values and types fields", () => {
    const line = toLine({
      measurement: "temp",
      tags: { site: "x' OR 1=1 --", host: "pi 1,a=b" },
      floats: { temp: 71.25 },
      ints: { result_code: 2 },
      timeMs: 1_700_000_000_123,
    });
    expect(line).toBe(
      "temp,host=pi\\ 1\\,a\\=b,site=x'\\ OR\\ 1\\=1\\ -- result_code=2i,temp=71.25 1700000000123",
    );
  });

  it("writes seconds when asked and drops what line protocol cannot carry", () => {
    const line = toLine(
      {
        measurement: "ping",
        tags: { host: "", url: "hub" },
        floats: { average_response_ms: Number.NaN, percent_packet_loss: 100 },
        timeMs: 1_700_000_000_999,
      },
      "s",
    );
    expect(line).toBe("ping,url=hub percent_packet_loss=100 1700000000");
    expect(
      toLine({ measurement: "ping", tags: {}, floats: { x: Number.POSITIVE_INFINITY }, timeMs: 1 }),
    ).toBe(undefined);
  });

  it("sanitizes values the library cannot escape", () => {
    expect(sanitizeTagValue("rack\\")).toBe("rack");
    expect(sanitizeTagValue("a\nb\r\tc")).toBe("a b c");
    expect(sanitizeTagValue("C:\\edge\\pi")).toBe("C:\\edge\\pi");
  });
});

describe("line protocol against a real influxd", () => {
  let influx: InfluxdInstance;
  const db = "line_protocol";

  beforeAll(async () => {
    influx = await startInfluxd();
    await createDatabase(influx.url, db);
  });
  afterAll(async () => {
    await influx?.stop();
  });

  it("round-trips hostile tag values exactly and keeps field types", async () => {
    const sites = [
      "x' OR 1=1 --",
      'quote "double"',
      "comma,equals=space here",
      "back\\slash inside",
      "trailing slash\\",
      "ünïcödé 風力",
      "line\nbreak",
    ];
    const lines = sites.map((site, index) =>
      toLine({
        measurement: "temp",
        tags: { site, host: `node ${index}`, sensor: "cpu_thermal" },
        floats: { temp: 60 + index },
        ints: { code: index },
        timeMs: 1_700_000_000_000 + index * 1_000,
      }),
    );
    const response = await fetch(`${influx.url}/write?db=${db}&precision=ms`, {
      method: "POST",
      body: lines.join("\n"),
    });
    expect(response.status, await response.text()).toBe(204);

    for (const [index, site] of sites.entries()) {
      const stored = sanitizeTagValue(site);
      const result = await queryInflux(
        influx.url,
        `SELECT temp, code, host FROM temp WHERE site = ${quoteLiteral(stored)}`,
        { db },
      );
      expect(result.results[0]?.series?.[0]?.values, site).toEqual([
        [1_700_000_000_000 + index * 1_000, 60 + index, index, `node ${index}`],
      ]);
    }
    const tagValues = await queryInflux(influx.url, `SHOW TAG VALUES FROM temp WITH KEY = "site"`, { db });
    const stored = (tagValues.results[0]?.series?.[0]?.values ?? []).map((row) => row[1]);
    expect(stored.sort()).toEqual(sites.map(sanitizeTagValue).sort());

    const fieldKeys = await queryInflux(influx.url, "SHOW FIELD KEYS FROM temp", { db });
    expect(fieldKeys.results[0]?.series?.[0]?.values).toEqual([
      ["code", "integer"],
      ["temp", "float"],
    ]);
  });
});
