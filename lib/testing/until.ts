// Waiting on a condition in tests (never on a fixed sleep): polls `probe` until
// it returns something other than false, or fails saying what did not happen.

export async function until<T>(
  probe: () => Promise<T | false> | T | false,
  {
    timeoutMs = 30_000,
    everyMs = 50,
    what = "condition",
  }: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
