import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { RATE_WINDOW_MS } from "./rate-limit";
import { resetGrantRates, takeGrantRate } from "./rate-limit-store";

let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(async () => {
  await cleanup?.();
});
beforeEach(async () => {
  await resetGrantRates();
});

describe("embed rate window in the database", () => {
  it("allows the limit per minute per grant, then refuses until the window is over", async () => {
    const t0 = Date.UTC(2026, 11, 1, 12, 0, 0);
    for (let i = 0; i < 3; i++)
      expect(await takeGrantRate("g", 3, t0 + i * 1_000)).toMatchObject({ ok: true, remaining: 2 - i });
    expect(await takeGrantRate("g", 3, t0 + 20_000)).toEqual({
      ok: false,
      retryAfterSeconds: 40,
      remaining: 0,
    });
    // another grant has its own window
    expect(await takeGrantRate("h", 3, t0 + 20_000)).toMatchObject({ ok: true, remaining: 2 });
    // refused requests count too, but a new minute starts afresh
    expect((await takeGrantRate("g", 3, t0 + RATE_WINDOW_MS - 1)).ok).toBe(false);
    expect(await takeGrantRate("g", 3, t0 + RATE_WINDOW_MS)).toMatchObject({
      ok: true,
      remaining: 2,
      retryAfterSeconds: 60,
    });
  });

  it("requests counted at the same moment are each counted once: exactly the limit gets through", async () => {
    const now = Date.now();
    const decisions = await Promise.all(Array.from({ length: 25 }, () => takeGrantRate("busy", 10, now)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    expect(decisions.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 16 }, () => 0),
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
    ]);
  });
});
