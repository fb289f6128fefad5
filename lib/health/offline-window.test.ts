import { describe, expect, it } from "vitest";
import { isInOfflineWindow, isMinuteInWindow, localMinuteOfDay, parseHhmm } from "./offline-window";

const at = (s: string) => Date.parse(s);
const win = (start: string, end: string, timeZone: string) => ({ start, end, timeZone });

describe("parseHhmm", () => {
  it("reads HH:MM and refuses anything else", () => {
    expect(parseHhmm("00:00")).toBe(0);
    expect(parseHhmm("22:30")).toBe(22 * 60 + 30);
    expect(parseHhmm("24:00")).toBe(null);
    expect(parseHhmm("7pm")).toBe(null);
  });
});

describe("isMinuteInWindow", () => {
  const m = (s: string) => parseHhmm(s) ?? -1;
  it("treats start as inclusive and end as exclusive across midnight", () => {
    const [s, e] = [m("22:00"), m("06:00")];
    expect(isMinuteInWindow(m("21:59"), s, e)).toBe(false);
    expect(isMinuteInWindow(m("22:00"), s, e)).toBe(true);
    expect(isMinuteInWindow(m("00:00"), s, e)).toBe(true);
    expect(isMinuteInWindow(m("05:59"), s, e)).toBe(true);
    expect(isMinuteInWindow(m("06:00"), s, e)).toBe(false);
    expect(isMinuteInWindow(m("12:00"), s, e)).toBe(false);
  });

  it("handles same-day windows and whole-day windows", () => {
    expect(isMinuteInWindow(m("13:00"), m("12:00"), m("14:00"))).toBe(true);
    expect(isMinuteInWindow(m("14:00"), m("12:00"), m("14:00"))).toBe(false);
    expect(isMinuteInWindow(m("11:59"), m("12:00"), m("14:00"))).toBe(false);
    expect(isMinuteInWindow(m("03:00"), m("00:00"), m("00:00"))).toBe(true);
  });
});

describe("isInOfflineWindow in time zones", () => {
  const night = win("22:00", "06:00", "Europe/Madrid");

  it("uses winter time in Madrid (UTC+1)", () => {
    expect(localMinuteOfDay(at("2025-01-15T21:30:00Z"), "Europe/Madrid")).toBe(22 * 60 + 30);
    expect(isInOfflineWindow(night, at("2025-01-15T20:59:00Z"))).toBe(false);
    expect(isInOfflineWindow(night, at("2025-01-15T21:00:00Z"))).toBe(true);
    expect(isInOfflineWindow(night, at("2025-01-16T04:59:00Z"))).toBe(true);
    expect(isInOfflineWindow(night, at("2025-01-16T05:00:00Z"))).toBe(false);
  });

  it("uses summer time in Madrid (UTC+2)", () => {
    expect(isInOfflineWindow(night, at("2025-07-15T19:59:00Z"))).toBe(false);
    expect(isInOfflineWindow(night, at("2025-07-15T20:00:00Z"))).toBe(true);
    expect(isInOfflineWindow(night, at("2025-07-16T03:59:00Z"))).toBe(true);
    expect(isInOfflineWindow(night, at("2025-07-16T04:00:00Z"))).toBe(false);
  });

  it("gives a different answer for the same instant in another zone", () => {
    const instant = at("2025-01-15T21:30:00Z");
    expect(isInOfflineWindow(night, instant)).toBe(true);
    expect(isInOfflineWindow(win("22:00", "06:00", "UTC"), instant)).toBe(false);
    expect(isInOfflineWindow(win("22:00", "06:00", "America/Los_Angeles"), instant)).toBe(false);
    expect(isInOfflineWindow(win("13:00", "14:00", "America/Los_Angeles"), instant)).toBe(true);
  });

  it("handles quarter-hour offsets (Kathmandu, UTC+5:45)", () => {
    const k = win("22:00", "06:00", "Asia/Kathmandu");
    expect(isInOfflineWindow(k, at("2025-01-15T16:14:00Z"))).toBe(false);
    expect(isInOfflineWindow(k, at("2025-01-15T16:15:00Z"))).toBe(true);
    expect(isInOfflineWindow(k, at("2025-01-16T00:14:00Z"))).toBe(true);
    expect(isInOfflineWindow(k, at("2025-01-16T00:15:00Z"))).toBe(false);
  });

  it("ignores an unknown time zone or a malformed time instead of throwing", () => {
    expect(isInOfflineWindow(win("22:00", "06:00", "Mars/Olympus"), at("2025-01-15T23:00:00Z"))).toBe(false);
    expect(isInOfflineWindow(win("late", "06:00", "UTC"), at("2025-01-15T23:00:00Z"))).toBe(false);
  });

  it("recomputes when now moves (the per-zone memo does not go stale)", () => {
    expect(localMinuteOfDay(at("2025-03-01T10:00:00Z"), "Asia/Tokyo")).toBe(19 * 60);
    expect(localMinuteOfDay(at("2025-03-01T10:01:00Z"), "Asia/Tokyo")).toBe(19 * 60 + 1);
    expect(localMinuteOfDay(at("2025-03-01T10:00:30Z"), "Asia/Tokyo")).toBe(19 * 60);
  });
});
