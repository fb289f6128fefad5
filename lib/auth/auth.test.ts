import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password";
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

  it("hashes at OWASP's scrypt cost and asks for a rehash of weaker hashes", async () => {
    const testN = process.env.OUTPOST_TEST_SCRYPT_N;
    delete process.env.OUTPOST_TEST_SCRYPT_N;
    const today = await hashPassword("correct horse battery").finally(() => {
      process.env.OUTPOST_TEST_SCRYPT_N = testN;
    });
    expect(today.split("$").slice(1, 4)).toEqual(["131072", "8", "1"]);
    delete process.env.OUTPOST_TEST_SCRYPT_N;
    try {
      expect(needsRehash(today)).toBe(false);
    } finally {
      process.env.OUTPOST_TEST_SCRYPT_N = testN;
    }
    // What Outpost stored before: N=2^15.
    const old = "scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA$ivN0L2WQXYv7Xy3fSbzxz5V5xWg2gnzGqMZkX4r2V3c";
    expect(needsRehash(old)).toBe(true);
  });

  it("refuses stored parameters it would never have written (no gigabyte allocations)", async () => {
    expect(await verifyPassword("x", "scrypt$1073741824$8$1$c2FsdA$a2V5")).toBe(false);
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
