import { describe, expect, it } from "vitest";
import { accountLockMs, addFailure, type Counter, decide, throttleKeys, throttlePolicy } from "./throttle";

const p = throttlePolicy(5);
const t0 = Date.parse("2026-06-01T12:00:00Z");

function failures(kind: "account" | "address" | "pair", n: number, start = t0, gapMs = 1_000): Counter {
  let c: Counter | undefined;
  for (let i = 0; i < n; i++) c = addFailure(kind, c, p, start + i * gapMs);
  return c as Counter;
}

describe("login throttle policy", () => {
  it("cuts off one address guessing one account after maxAttempts, for the window", () => {
    const pair = failures("pair", 5);
    const d = decide({ pair }, true, p, t0 + 10_000);
    expect(d).toMatchObject({ isAllowed: false, reason: "pair" });
    expect(decide({ pair }, true, p, t0 + p.windowMs + 1).isAllowed).toBe(true);
  });

  it("cuts off an address spraying many accounts", () => {
    const address = failures("address", p.maxAttemptsPerAddress);
    expect(decide({ address }, true, p, t0 + 60_000)).toMatchObject({ isAllowed: false, reason: "address" });
  });

  it("backs an account off exponentially, capped", () => {
    expect(accountLockMs(4, p)).toBe(0);
    expect(accountLockMs(5, p)).toBe(30_000);
    expect(accountLockMs(6, p)).toBe(60_000);
    expect(accountLockMs(8, p)).toBe(240_000);
    expect(accountLockMs(100, p)).toBe(p.backoffMaxMs);
  });

  it("never holds back the owner at a known address, whatever others did to the account", () => {
    const account = failures("account", 40);
    const now = t0 + 41_000;
    expect(decide({ account }, false, p, now)).toMatchObject({ isAllowed: false, reason: "account" });
    expect(decide({ account }, true, p, now).isAllowed).toBe(true);
  });

  it("forgets an account's failures a day after the last one", () => {
    const account = failures("account", 40);
    expect(decide({ account }, false, p, t0 + 40_000 + p.accountMemoryMs + 1).isAllowed).toBe(true);
    expect(addFailure("account", account, p, t0 + 40_000 + p.accountMemoryMs + 1).failures).toBe(1);
  });

  it("keys accounts case-insensitively", () => {
    expect(throttleKeys("Admin", "10.0.0.1")).toEqual(throttleKeys("admin", "10.0.0.1"));
  });
});
