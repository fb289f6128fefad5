import "server-only";
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// Envelope: "v1:<keyId>:<iv>:<tag>:<ciphertext>" (base64url parts). The key id
// lets old ciphertexts be read during a key rotation (OUTPOST_PREVIOUS_SECRET_KEYS).
const VERSION = "v1";

interface Key {
  id: string;
  bytes: Buffer;
}

function keyId(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("base64url").slice(0, 8);
}

function toKey(base64: string): Key {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== 32) throw new Error("secret keys must be 32 bytes, base64-encoded");
  return { id: keyId(bytes), bytes };
}

function loadOrCreateKeyFile(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(32).toString("base64");
  // wx: never overwrite a key another process created a moment ago.
  try {
    fs.writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: "wx" });
    return fresh;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}

let keys: { current: Key; all: Map<string, Key> } | undefined;

function loadKeys(): { current: Key; all: Map<string, Key> } {
  if (keys) return keys;
  const e = env();
  const currentB64 =
    e.OUTPOST_SECRET_KEY ??
    loadOrCreateKeyFile(e.OUTPOST_SECRET_KEY_FILE ?? path.join(e.dataDir, "secret.key"));
  const current = toKey(currentB64);
  const all = new Map<string, Key>([[current.id, current]]);
  for (const old of (e.OUTPOST_PREVIOUS_SECRET_KEYS ?? "").split(",").filter(Boolean)) {
    const k = toKey(old.trim());
    all.set(k.id, k);
  }
  keys = { current, all };
  return keys;
}

export function resetKeysForTests(): void {
  keys = undefined;
}

export function encryptSecret(plaintext: string): string {
  const { current } = loadKeys();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.bytes, iv);
  cipher.setAAD(Buffer.from(`${VERSION}:${current.id}`));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    current.id,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ct.toString("base64url"),
  ].join(":");
}

export function decryptSecret(envelope: string): string {
  const [version, id, iv, tag, ct] = envelope.split(":");
  if (version !== VERSION || !id || !iv || !tag || ct === undefined)
    throw new Error("not an Outpost secret envelope");
  const key = loadKeys().all.get(id);
  if (!key)
    throw new Error(
      `secret was encrypted with key ${id}, which is not configured (OUTPOST_PREVIOUS_SECRET_KEYS?)`,
    );
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`${VERSION}:${id}`));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

/** True when the envelope was made with an older key and should be re-encrypted. */
export function needsReencryption(envelope: string): boolean {
  return envelope.split(":")[1] !== loadKeys().current.id;
}

/**
 * A 32-byte key for one purpose, derived (HKDF-SHA256) from the CURRENT secret
 * key only: whatever it signs stops verifying when the secret key is rotated,
 * even while OUTPOST_PREVIOUS_SECRET_KEYS keeps old ciphertexts readable.
 */
export function derivedKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", loadKeys().current.bytes, Buffer.alloc(0), `outpost:${purpose}`, 32));
}

/**
 * A keyed digest of a secret value (HMAC-SHA256 under derivedKey("secret-digest")):
 * lets two stored values be compared ("changed") without storing or revealing either.
 */
export function secretDigest(value: string): string {
  return createHmac("sha256", derivedKey("secret-digest")).update(value, "utf8").digest("base64url");
}
