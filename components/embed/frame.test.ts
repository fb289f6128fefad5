import { describe, expect, it } from "vitest";
import type { ChartPayload, StatusPayload, StripPayload } from "@/lib/embed/types";
import { errorBody, type FrameView, frameBody } from "./frame";
import { html } from "./html";
import { linePath, niceTicks, svgChart } from "./svg-chart";

const MIN = 60_000;
const T0 = Date.UTC(2027, 0, 15, 12, 0, 0);
const view: FrameView = {
  width: 600,
  height: 300,
  timeZone: "Europe/Madrid",
  rangeHref: (r) => `/embed/t?range=${r}`,
  csvHref: "/api/embed/t/data?format=csv",
};

const chart = (over: Partial<ChartPayload> = {}): ChartPayload => ({
  kind: "temperature",
  generatedAt: new Date(T0 + 10 * MIN).toISOString(),
  refreshMs: 10_000,
  oldAfterMs: 30_000,
  site: { slug: "farm", name: "Farm <b>1</b>" },
  range: "1h",
  ranges: ["15m", "1h"],
  from: T0,
  to: T0 + 10 * MIN,
  intervalMs: MIN,
  unit: "°C",
  title: "Board temperature · Farm <b>1</b>",
  unavailable: null,
  series: [
    {
      id: "n1",
      label: "<script>alert(1)</script>",
      unit: "°C",
      points: [0, 1, 2, 6, 7].map((i) => ({ t: T0 + i * MIN, min: 60, mean: 61 + i, max: 70 })),
    },
    { id: "n2", label: "n2", unit: "°C", points: [{ t: T0 + 9 * MIN, mean: 85 }] },
  ],
  thresholdCelsius: 80,
  latestAt: T0 + 9 * MIN,
  ...over,
});

describe("embed renderers", () => {
  it("escape every user-supplied text", () => {
    const out = frameBody(chart(), view).value;
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>");
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html`<p title="${'"><img src=x>'}">`.value).toBe('<p title="&quot;&gt;&lt;img src=x&gt;">');
  });

  it("break lines at missing buckets instead of bridging an outage", () => {
    const x = (t: number) => (t - T0) / MIN;
    const d = linePath(chart().series[0]?.points ?? [], MIN, x, (v) => v);
    expect(d).toBe("M0 61L1 62L2 63M6 67L7 68");
  });

  it("draw one line per series, the threshold, and say how many nodes are hot", () => {
    const out = frameBody(chart(), view).value;
    expect(out.match(/<g class="series"/g)).toHaveLength(2);
    expect(out).toContain("Warning 80 °C");
    expect(out).toContain("1 node above the warning threshold");
    expect(out).toContain('data-at="2027-01-15T12:09:00.000Z"');
    // Axis labels in the viewer's time zone (Madrid is UTC+1 in January).
    expect(out).toContain(">13:00<");
    expect(out).toContain('href="/embed/t?range=15m"');
    expect(out).toContain('aria-current="true">1 h<');
  });

  it("say when the newest reading is old and when telemetry is unavailable", () => {
    const silent = frameBody(chart({ generatedAt: new Date(T0 + 20 * MIN).toISOString() }), view).value;
    expect(silent).toContain("No new readings for 11 m");
    const down = frameBody(
      chart({ unavailable: { reason: "unreachable", message: "connection refused" } }),
      view,
    ).value;
    expect(down).toContain("Telemetry unavailable (unreachable): connection refused");
    expect(down).not.toContain('<g class="series"');
  });

  it("show a site's state as icon + word, since when and last seen", () => {
    const status: StatusPayload = {
      kind: "site-status",
      generatedAt: new Date(T0).toISOString(),
      refreshMs: 10_000,
      oldAfterMs: 30_000,
      site: { slug: "s", name: "Store 1" },
      status: "unreachable",
      headline: "Unreachable: connection timed out",
      since: new Date(T0 - 2 * 3_600_000 - 14 * MIN).toISOString(),
      lastSeenAt: new Date(T0 - 2 * 3_600_000 - 14 * MIN).toISOString(),
      reasons: [{ sentence: "Unreachable: connection timed out", since: null }],
      counts: { clusters: 1, clustersFresh: 0, nodes: 2, nodesReady: 2 },
    };
    const out = frameBody(status, view).value;
    expect(out).toContain('data-status="unreachable"');
    expect(out).toMatch(/■<\/span> Unreachable/);
    expect(out).toContain("Since 2 h 14 m");
    expect(out).toContain("2 h 14 m ago");
  });

  it("count every state in the fleet strip, zeros included", () => {
    const strip: StripPayload = {
      kind: "fleet-strip",
      generatedAt: new Date(T0).toISOString(),
      refreshMs: 10_000,
      oldAfterMs: 30_000,
      filter: { kind: "store" },
      counts: {
        total: 3,
        healthy: 2,
        critical: 1,
        unreachable: 0,
        degraded: 0,
        stale: 0,
        unknown: 0,
        "expected-offline": 0,
      },
    };
    const out = frameBody(strip, view).value;
    expect(out).toContain("Store sites: 3");
    expect(out.match(/class="tile tile--/g)).toHaveLength(7);
    expect(out).toContain('data-status="critical" title=');
  });

  it("keep terminal errors terminal", () => {
    expect(errorBody("This embed link was revoked", { isTerminal: true }).value).toContain(
      'data-terminal="1"',
    );
    expect(errorBody("Too many", { isTerminal: false, retryAfterSeconds: 12 }).value).toContain(
      'data-retry-after="12"',
    );
  });

  it("picks round axis steps", () => {
    expect(niceTicks(0, 100, 4)).toEqual([0, 50, 100]);
    expect(niceTicks(42.3, 61.7, 4)).toEqual([45, 50, 55, 60]);
    expect(svgChart({ ...chart(), id: "x", width: 300, height: 120 } as never).value).toContain(
      'width="300"',
    );
  });
});
