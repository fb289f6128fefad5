import "server-only";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// scrypt at OWASP's current recommendation (N=2^17, r=8, p=1: 128 MiB and a few
// hundred ms per hash), built into Node, no native addon. Older hashes verify with
// the parameters stored in them and are rehashed at the next successful sign-in.
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 32;
/** Room for the largest parameters we ever stored. */
const MAXMEM = 2 * 128 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r;
/** Hashes computed at once: each takes 128 MiB, so a burst of sign-ins must queue, not exhaust memory. */
const MAX_PARALLEL_HASHES = 2;

let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize("NFKC"), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

/**
 * The parameters new hashes get. Only the unit-test runner (vitest sets VITEST) may lower N
 * through OUTPOST_TEST_SCRYPT_N, so hundreds of test sign-ins do not cost minutes; the server,
 * the e2e suite and every CLI always hash at SCRYPT_PARAMS.
 */
function currentParams(): { N: number; r: number; p: number } {
  const testN = process.env.VITEST ? Number(process.env.OUTPOST_TEST_SCRYPT_N) : Number.NaN;
  return Number.isInteger(testN) && testN >= 2 && testN < SCRYPT_PARAMS.N
    ? { ...SCRYPT_PARAMS, N: testN }
    : SCRYPT_PARAMS;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = currentParams();
  const key = await derive(password, salt, N, r, p);
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

function parse(stored: string) {
  const [alg, n, r, p, salt, key] = stored.split("$");
  if (alg !== "scrypt" || !n || !r || !p || !salt || !key) return null;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  // Only parameters we would have written: a tampered row must not make us allocate gigabytes.
  if (![N, R, P].every(Number.isInteger) || N > SCRYPT_PARAMS.N || R > 16 || P > 4 || N < 2) return null;
  return { N, R, P, salt: Buffer.from(salt, "base64url"), key: Buffer.from(key, "base64url") };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.N, parsed.R, parsed.P);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** True when a stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  const want = currentParams();
  return !parsed || parsed.N !== want.N || parsed.R !== want.r || parsed.P !== want.p;
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
