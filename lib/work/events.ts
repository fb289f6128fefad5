import { EventEmitter } from "node:events";

// Typed events that tests await instead of sleeping: `await events.waitFor("completed", (j) => j.key === "a")`.

export class WorkEvents<M extends Record<string, unknown[]>> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Tests may wait on many conditions at once; this is not a leak.
    this.emitter.setMaxListeners(0);
  }

  emit<K extends keyof M & string>(event: K, ...args: M[K]): void {
    this.emitter.emit(event, ...args);
  }

  on<K extends keyof M & string>(event: K, listener: (...args: M[K]) => void): () => void {
    const fn = listener as (...args: unknown[]) => void;
    this.emitter.on(event, fn);
    return () => this.emitter.off(event, fn);
  }

  /** Resolves with the first `event` whose arguments satisfy `predicate`; rejects after `timeoutMs`. */
  waitFor<K extends keyof M & string>(
    event: K,
    predicate: (...args: M[K]) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<M[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
      }, timeoutMs);
      const off = this.on(event, (...args) => {
        if (!predicate(...args)) return;
        clearTimeout(timer);
        off();
        resolve(args);
      });
    });
  }
}
