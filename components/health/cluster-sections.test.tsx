import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ClusterDetail } from "@/lib/queries/fleet-health";
import { ContactHistory } from "./cluster-sections";

type Entry = ClusterDetail["contactHistory"][number];

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const entry = (e: Partial<Entry>): Entry => ({
  at: "2026-12-01T11:50:00.000Z",
  kind: "down",
  errorClass: null,
  message: null,
  latestErrorClass: null,
  latestMessage: null,
  latestAt: null,
  endAt: null,
  polls: null,
  failures: null,
  ...e,
});

function text(history: Entry[]): string[] {
  const cluster = { name: "c1", contactHistory: history } as ClusterDetail;
  const html = renderToStaticMarkup(<ContactHistory cluster={cluster} now={NOW} />);
  return [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => (m[1] ?? "").replace(/<[^>]+>/g, ""));
}

describe("contact history", () => {
  it("says the failure happening now first, and how the outage began when that differed", () => {
    const [lost] = text([
      entry({
        errorClass: "reset",
        message: "connection reset",
        latestErrorClass: "refused",
        latestMessage: "connection refused",
        latestAt: "2026-12-01T11:50:15.000Z",
      }),
    ]);
    expect(lost).toMatch(/^▼Lost /);
    expect(lost).toMatch(/· connection refused since .+ \(began as: connection reset\)$/);
  });

  it("names one reason when the failure never changed (or changed back)", () => {
    const [same, back] = text([
      entry({ errorClass: "refused", message: "connection refused" }),
      entry({
        at: "2026-12-01T11:40:00.000Z",
        errorClass: "timeout",
        message: "no answer to /api/v1/nodes within 10 s",
        latestErrorClass: "timeout",
        latestMessage: "no answer to /api/v1/nodes within 10 s",
        latestAt: "2026-12-01T11:41:00.000Z",
      }),
    ]);
    expect(same).toMatch(/· connection refused$/);
    expect(back).toMatch(/· no answer to \/api\/v1\/nodes within 10 s$/);
    expect(back).not.toContain("began as");
  });

  it("gives no reason for a reached row", () => {
    const [up] = text([entry({ kind: "up", errorClass: "refused", message: "connection refused" })]);
    expect(up).toMatch(/^▲Reached /);
    expect(up).not.toContain("refused");
  });
});
