import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BACKOFF_MS, jitteredGapMs } from "@/lib/health/backoff";
import { DEFAULT_SCHEDULE, initialDelay, nextDelay, pickDue } from "./schedule";

const cfg = DEFAULT_SCHEDULE;

describe("collector schedule", () => {
  it("keeps healthy clusters on the interval with ±10 % jitter", () => {
    expect(nextDelay(cfg, 0, 0)).toBe(13_500);
    expect(nextDelay(cfg, 0, 1)).toBe(16_500);
  });

  it("retries a fresh failure at the interval, then backs off exponentially with a cap", () => {
    const mid = (f: number) => nextDelay(cfg, f, 0.5);
    expect(mid(1)).toBe(15_000);
    expect(mid(3)).toBe(15_000);
    expect(mid(4)).toBe(30_000);
    expect(mid(5)).toBe(60_000);
    expect(mid(12)).toBe(cfg.maxBackoffMs);
    expect(nextDelay(cfg, 30, 1)).toBeLessThanOrEqual(cfg.maxBackoffMs);
  });

  it("schedules by the one backoff policy the health model reads", () => {
    for (const failures of [0, 2, 4, 7, 50])
      for (const r of [0, 0.3, 0.99])
        expect(nextDelay(cfg, failures, r)).toBe(
          jitteredGapMs(cfg.intervalMs, failures, DEFAULT_MAX_BACKOFF_MS, r),
        );
  });

  it("spreads first polls across one interval", () => {
    const delays = Array.from({ length: 100 }, (_, i) => initialDelay(cfg, i / 100));
    expect(Math.min(...delays)).toBe(0);
    expect(Math.max(...delays)).toBeLessThan(cfg.intervalMs);
  });

  it("serves due healthy clusters first and caps failing ones", () => {
    const entries = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `f${i}`, dueAt: i, consecutiveFailures: 3 })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: `h${i}`, dueAt: 100 + i, consecutiveFailures: 0 })),
      { id: "later", dueAt: 10_000, consecutiveFailures: 0 },
    ];
    const picked = pickDue(entries, 1_000, 8, 0, 8).map((e) => e.id);
    expect(picked.slice(0, 3)).toEqual(["h0", "h1", "h2"]);
    expect(picked.filter((id) => id.startsWith("f"))).toEqual(["f0", "f1"]);
    expect(picked).not.toContain("later");
    // With the failing share already busy, no more failing clusters start.
    expect(pickDue(entries, 1_000, 8, 2, 8).some((e) => e.id.startsWith("f"))).toBe(false);
  });
});
