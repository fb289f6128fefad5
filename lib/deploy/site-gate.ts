// At most N cluster operations at once per site in this process: the turbines
// of a wind farm share one uplink, and 20 parallel applies would saturate it.
// Waiters are served in arrival order; an aborted waiter leaves the queue.

export class SiteGate {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly perSite: number) {}

  async acquire(siteId: string, signal?: AbortSignal): Promise<() => void> {
    const running = this.active.get(siteId) ?? 0;
    if (running < this.perSite) {
      this.active.set(siteId, running + 1);
      return this.releaser(siteId);
    }
    await new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(siteId) ?? [];
      const go = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const q = this.waiting.get(siteId) ?? [];
        const i = q.indexOf(go);
        if (i >= 0) q.splice(i, 1);
        reject(signal?.reason ?? new Error("aborted"));
      };
      queue.push(go);
      this.waiting.set(siteId, queue);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return this.releaser(siteId);
  }

  /** Operations running now at the site (for tests and the ops view). */
  running(siteId: string): number {
    return this.active.get(siteId) ?? 0;
  }

  private releaser(siteId: string): () => void {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const next = this.waiting.get(siteId)?.shift();
      // The slot passes straight to the next waiter, so the count stays.
      if (next) next();
      else {
        const n = (this.active.get(siteId) ?? 1) - 1;
        if (n <= 0) this.active.delete(siteId);
        else this.active.set(siteId, n);
      }
    };
  }
}
