// Login throttling, the pure part: what three counters say about one attempt.
//
// - per address (any account): a spray from one client is cut off for the window;
// - per account+address: one client guessing one account is cut off for the window;
// - per account (any address): failures back off exponentially, so guessing one
//   account from many addresses gets slower and slower — but a sign-in from an
//   address the owner has signed in from before is not held back by it, so nobody
//   can lock the owner out from elsewhere.
// The counters live behind ThrottleStore (lib/auth/throttle-store.ts: in the
// database, so they hold across instances).

export interface ThrottlePolicy {
  /** failures per account+address in the window, and after which the account backs off */
  maxAttempts: number;
  /** failures per address (over all accounts) in the window */
  maxAttemptsPerAddress: number;
  windowMs: number;
  /** first account lock after maxAttempts failures; doubles with every further failure */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** an account's failures are forgotten this long after the last one */
  accountMemoryMs: number;
}

export function throttlePolicy(maxAttempts: number): ThrottlePolicy {
  return {
    maxAttempts,
    maxAttemptsPerAddress: maxAttempts * 5,
    windowMs: 15 * 60_000,
    backoffBaseMs: 30_000,
    backoffMaxMs: 15 * 60_000,
    accountMemoryMs: 24 * 3_600_000,
  };
}

export interface Counter {
  failures: number;
  firstFailureAt: number;
  lastFailureAt: number;
}

export interface ThrottleKeys {
  account: string;
  address: string;
  pair: string;
}

export function throttleKeys(username: string, address: string): ThrottleKeys {
  const account = username.normalize("NFC").toLowerCase();
  return { account: `account:${account}`, address: `address:${address}`, pair: `pair:${account}|${address}` };
}

export type Decision =
  | { isAllowed: true }
  | { isAllowed: false; retryAfterSeconds: number; reason: "address" | "pair" | "account" };

/** Seconds until a windowed counter lets the key try again, or 0. */
function windowWait(c: Counter | undefined, max: number, windowMs: number, now: number): number {
  if (!c || c.failures < max) return 0;
  return Math.max(0, c.firstFailureAt + windowMs - now);
}

/** How long the account is locked after its latest failure. */
export function accountLockMs(failures: number, p: ThrottlePolicy): number {
  if (failures < p.maxAttempts) return 0;
  return Math.min(p.backoffMaxMs, p.backoffBaseMs * 2 ** Math.min(30, failures - p.maxAttempts));
}

function accountWait(c: Counter | undefined, p: ThrottlePolicy, now: number): number {
  if (!c || now - c.lastFailureAt > p.accountMemoryMs) return 0;
  return Math.max(0, c.lastFailureAt + accountLockMs(c.failures, p) - now);
}

/** A counter past its window (or memory, for accounts) counts as empty. */
export function isExpired(kind: keyof ThrottleKeys, c: Counter, p: ThrottlePolicy, now: number): boolean {
  return kind === "account"
    ? now - c.lastFailureAt > p.accountMemoryMs
    : now - c.firstFailureAt >= p.windowMs;
}

export function decide(
  counters: Partial<Record<keyof ThrottleKeys, Counter>>,
  isKnownAddress: boolean,
  p: ThrottlePolicy,
  now: number,
): Decision {
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const address = windowWait(counters.address, p.maxAttemptsPerAddress, p.windowMs, now);
  if (address > 0) return { isAllowed: false, retryAfterSeconds: seconds(address), reason: "address" };
  const pair = windowWait(counters.pair, p.maxAttempts, p.windowMs, now);
  if (pair > 0) return { isAllowed: false, retryAfterSeconds: seconds(pair), reason: "pair" };
  const account = accountWait(counters.account, p, now);
  if (account > 0 && !isKnownAddress)
    return { isAllowed: false, retryAfterSeconds: seconds(account), reason: "account" };
  return { isAllowed: true };
}

/** The counter after one more failure at `now`. */
export function addFailure(
  kind: keyof ThrottleKeys,
  c: Counter | undefined,
  p: ThrottlePolicy,
  now: number,
): Counter {
  if (!c || isExpired(kind, c, p, now)) return { failures: 1, firstFailureAt: now, lastFailureAt: now };
  return { failures: c.failures + 1, firstFailureAt: c.firstFailureAt, lastFailureAt: now };
}
