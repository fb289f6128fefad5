import { describe, expect, it } from "vitest";
import { certHealth } from "./cert";
import { DAY, HOUR, iso, NOW } from "./test-fixtures";

const inMs = (ms: number) => certHealth(iso(NOW + ms), NOW);

describe("certHealth", () => {
  it("has nothing to say without a client certificate or with plenty of time", () => {
    expect(certHealth(null, NOW)).toStrictEqual({
      state: "none",
      remainingMs: null,
      since: null,
      sentence: null,
    });
    expect(inMs(30 * DAY + 1)).toMatchObject({ state: "ok", sentence: null });
    expect(inMs(300 * DAY).state).toBe("ok");
  });

  it("warns from exactly 30 days out, since the day the warning began", () => {
    const notAfter = NOW + 30 * DAY;
    expect(certHealth(iso(notAfter), NOW)).toMatchObject({
      state: "warning",
      sentence: "Client certificate expires in 30 days",
      since: iso(NOW),
    });
    expect(inMs(9 * DAY + 5 * HOUR)).toMatchObject({
      state: "warning",
      sentence: "Client certificate expires in 9 days",
    });
  });

  it("is critical from exactly 7 days out", () => {
    expect(inMs(7 * DAY + 1).state).toBe("warning");
    expect(inMs(7 * DAY)).toMatchObject({
      state: "critical",
      sentence: "Client certificate expires in 7 days",
    });
    expect(inMs(DAY)).toMatchObject({ sentence: "Client certificate expires in 1 day" });
    expect(inMs(5 * HOUR)).toMatchObject({
      state: "critical",
      sentence: "Client certificate expires in 5 h",
    });
  });

  it("is expired at and after notAfter", () => {
    expect(inMs(0)).toMatchObject({ state: "expired", remainingMs: 0, since: iso(NOW) });
    expect(inMs(-3 * DAY - HOUR)).toMatchObject({
      state: "expired",
      sentence: "Client certificate expired 3 days ago",
      since: iso(NOW - 3 * DAY - HOUR),
    });
  });
});
