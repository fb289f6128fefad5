import { describe, expect, it } from "vitest";
import { parseInstant, siteTelemetryQuerySchema } from "./schemas";

describe("telemetry time ranges", () => {
  it.each(["hello 1", "2001", "1", "Tue Dec 01 2026", "2025-02-30", "2025-13-01", "2025-01-15T12:00", "12"])(
    "refuses %j instead of guessing a date",
    (text) => {
      expect(parseInstant(text)).toBeNull();
    },
  );

  it("accepts ISO times with a zone, dates, and epoch milliseconds", () => {
    expect(parseInstant("2025-01-15T12:00:00Z")).toBe(Date.UTC(2025, 0, 15, 12));
    expect(parseInstant("2025-01-15T13:00:00.5+01:00")).toBe(Date.UTC(2025, 0, 15, 12, 0, 0, 500));
    expect(parseInstant("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant("1736942400000")).toBe(1736942400000);
  });

  it("names the field that is wrong", () => {
    const r = siteTelemetryQuerySchema.safeParse({
      range: "custom",
      from: "hello 1",
      to: "2025-01-15T12:00:00Z",
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["from"]);
  });
});
