import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { createRateLimiter } from "./rate-limit";
import { hasRole } from "./roles";

describe("passwords", () => {
  it("hashes with a salt and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });
});

describe("login rate limiter", () => {
  it("blocks after the limit inside the window and lets go after it", () => {
    const limiter = createRateLimiter(3, 60_000);
    expect(limiter.fail("k", 0)).toBeNull();
    expect(limiter.fail("k", 1_000)).toBeNull();
    expect(limiter.fail("k", 2_000)).toBe(58);
    expect(limiter.blockedFor("k", 30_000)).toBe(30);
    expect(limiter.blockedFor("other", 30_000)).toBeNull();
    expect(limiter.blockedFor("k", 60_000)).toBeNull();
  });

  it("stays bounded under a flood of distinct keys", () => {
    const limiter = createRateLimiter(3, 60_000, 100);
    for (let i = 0; i < 1_000; i++) limiter.fail(`k${i}`, 0);
    expect(limiter.blockedFor("k999", 0)).toBeNull();
    limiter.fail("k999", 0);
    limiter.fail("k999", 0);
    expect(limiter.blockedFor("k999", 0)).not.toBeNull();
  });
});

describe("roles", () => {
  it("orders viewer < operator < admin", () => {
    expect(hasRole("admin", "operator")).toBe(true);
    expect(hasRole("operator", "operator")).toBe(true);
    expect(hasRole("viewer", "operator")).toBe(false);
    expect(hasRole("operator", "admin")).toBe(false);
  });
});
