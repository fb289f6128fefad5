import { describe, expect, it } from "vitest";
import { formatAgo as healthAgo, plural as healthPlural } from "@/lib/health/format";
import { formatAgo, plural } from "./format";

describe("UI ages and counts", () => {
  const now = Date.parse("2026-06-01T12:00:00Z");
  it("say what the health sentences say", () => {
    const iso = new Date(now - 12 * 60_000).toISOString();
    expect(formatAgo(iso, now)).toBe("12 m ago");
    expect(formatAgo(iso, now)).toBe(healthAgo(12 * 60_000));
    expect(formatAgo(new Date(now - 134 * 60_000).toISOString(), now)).toBe("2 h 14 m ago");
    expect(formatAgo(null, now)).toBe("never");
    expect(plural(1234, "site")).toBe(healthPlural(1234, "site"));
    expect(plural(1234, "site")).toBe("1,234 sites");
  });
});
