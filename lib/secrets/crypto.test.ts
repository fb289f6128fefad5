import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { decryptSecret, encryptSecret, needsReencryption, resetKeysForTests } from "./crypto";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("secret envelopes", () => {
  it("creates a 0600 key file on first use and round-trips", async () => {
    const t = await useTempDataDir();
    cleanup = t.cleanup;
    const envelope = encryptSecret("client-key-data: SECRET");
    expect(envelope).not.toContain("SECRET");
    expect(decryptSecret(envelope)).toBe("client-key-data: SECRET");
    const stat = fs.statSync(path.join(t.dir, "secret.key"));
    expect(stat.mode & 0o777).toBe(0o600);
    // Same plaintext, different envelope (random IV).
    expect(encryptSecret("client-key-data: SECRET")).not.toBe(envelope);
  });

  it("detects tampering", async () => {
    cleanup = (await useTempDataDir()).cleanup;
    const parts = encryptSecret("token: abc").split(":");
    const ct = Buffer.from(parts[4] ?? "", "base64url");
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[4] = ct.toString("base64url");
    expect(() => decryptSecret(parts.join(":"))).toThrow();
  });

  it("reads old envelopes after a key rotation and flags them for re-encryption", async () => {
    const oldKey = randomBytes(32).toString("base64");
    const newKey = randomBytes(32).toString("base64");
    cleanup = (await useTempDataDir({ OUTPOST_SECRET_KEY: oldKey })).cleanup;
    const old = encryptSecret("before rotation");
    process.env.OUTPOST_SECRET_KEY = newKey;
    resetEnvForTests();
    resetKeysForTests();
    expect(() => decryptSecret(old)).toThrow(/not configured/);
    process.env.OUTPOST_PREVIOUS_SECRET_KEYS = oldKey;
    resetEnvForTests();
    resetKeysForTests();
    expect(decryptSecret(old)).toBe("before rotation");
    expect(needsReencryption(old)).toBe(true);
    expect(needsReencryption(encryptSecret("after"))).toBe(false);
    delete process.env.OUTPOST_PREVIOUS_SECRET_KEYS;
  });
});
