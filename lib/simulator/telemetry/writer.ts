// Batched line-protocol writer for the InfluxDB 1.x `/write` endpoint: one request in flight,
// bounded queue (oldest dropped and counted), exponential backoff while InfluxDB is unreachable.
import type { WritePrecision } from "./line-protocol";

export const DEFAULT_BATCH_LINES = 5_000;
export const DEFAULT_BATCH_BYTES = 1_000_000;
export const DEFAULT_QUEUE_LIMIT = 500_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

export class WriteError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** worth trying again later (network, 5xx, 429) as opposed to a batch InfluxDB will never accept */
    readonly isRetriable: boolean,
  ) {
    super(message);
    this.name = "WriteError";
  }
}

export function writeUrl(influxUrl: string, database: string, precision: WritePrecision): string {
  const params = new URLSearchParams({ db: database, precision });
  return `${influxUrl.replace(/\/+$/, "")}/write?${params}`;
}

/** One POST of newline-separated lines; resolves on 204, throws WriteError otherwise. */
export async function postLines(url: string, lines: readonly string[]): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: lines.join("\n"),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new WriteError(`InfluxDB unreachable: ${(error as Error).message}`, null, true);
  }
  if (response.status === 204) {
    // Drain so the keep-alive socket can be reused.
    await response.arrayBuffer();
    return;
  }
  const body = (await response.text()).slice(0, 500);
  // 400 is a parse error or a field-type conflict: the same bytes will fail again. 404 is a
  // missing database, which someone may still create, so keep those points.
  const isRetriable = response.status >= 500 || response.status === 429 || response.status === 404;
  throw new WriteError(`InfluxDB write failed (${response.status}): ${body}`, response.status, isRetriable);
}

export interface LineWriterOptions {
  influxUrl: string;
  database: string;
  precision?: WritePrecision;
  batchLines?: number;
  batchBytes?: number;
  queueLimit?: number;
  now: () => number;
}

export interface LineWriterStats {
  pointsWritten: number;
  pointsQueued: number;
  pointsDropped: number;
  pointsRejected: number;
  writeRequests: number;
  writeErrors: number;
  lastWriteMs: number | null;
  lastError: string | null;
}

export class LineWriter {
  private readonly url: string;
  private readonly batchLines: number;
  private readonly batchBytes: number;
  private readonly queueLimit: number;
  private readonly now: () => number;
  // Array plus head index: shift() on a queue of 100k strings would be quadratic.
  private queue: string[] = [];
  private head = 0;
  private retryBatch: string[] | null = null;
  private sending: Promise<boolean> | null = null;
  private backoffTimer: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  private isStopped = false;
  private lastFailure: WriteError | null = null;
  private readonly counters: Omit<LineWriterStats, "pointsQueued"> = {
    pointsWritten: 0,
    pointsDropped: 0,
    pointsRejected: 0,
    writeRequests: 0,
    writeErrors: 0,
    lastWriteMs: null,
    lastError: null,
  };

  constructor(options: LineWriterOptions) {
    this.url = writeUrl(options.influxUrl, options.database, options.precision ?? "ms");
    this.batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    this.now = options.now;
  }

  /** Queues lines without sending; call kick() once the caller has queued a tick's worth. */
  enqueue(lines: readonly string[]): void {
    for (const line of lines) this.queue.push(line);
    const overflow = this.queue.length - this.head - this.queueLimit;
    if (overflow > 0) {
      this.head += overflow;
      this.counters.pointsDropped += overflow;
    }
    this.compact();
  }

  get queued(): number {
    return this.queue.length - this.head + (this.retryBatch?.length ?? 0);
  }

  /** Starts sending unless a request is in flight or a backoff is pending. */
  kick(): void {
    if (this.isStopped || this.sending || this.backoffTimer || this.queued === 0) return;
    void this.sendNext().then((isOk) => {
      if (isOk) this.kick();
      else this.scheduleRetry();
    });
  }

  /** Sends everything queued; rejects with the first write error (the points stay queued). */
  async flush(): Promise<void> {
    this.clearBackoff();
    while (this.queued > 0 || this.sending) {
      const isOk = await this.sendNext();
      if (!isOk && this.lastFailure) {
        if (!this.backoffTimer) this.scheduleRetry();
        throw this.lastFailure;
      }
    }
  }

  stop(): void {
    this.isStopped = true;
    this.clearBackoff();
  }

  stats(): LineWriterStats {
    return { ...this.counters, pointsQueued: this.queued };
  }

  private sendNext(): Promise<boolean> {
    if (this.sending) return this.sending;
    const batch = this.retryBatch ?? this.takeBatch();
    this.retryBatch = null;
    if (batch.length === 0) return Promise.resolve(true);
    this.counters.writeRequests++;
    const sending = postLines(this.url, batch).then(
      () => {
        this.counters.pointsWritten += batch.length;
        this.counters.lastWriteMs = this.now();
        this.consecutiveFailures = 0;
        this.lastFailure = null;
        return true;
      },
      (error: unknown) => {
        const failure = error instanceof WriteError ? error : new WriteError(String(error), null, true);
        this.counters.writeErrors++;
        this.counters.lastError = failure.message;
        this.lastFailure = failure;
        if (failure.isRetriable) {
          this.consecutiveFailures++;
          this.retryBatch = batch;
          return false;
        }
        // Retrying a batch InfluxDB rejected would block everything behind it forever.
        this.counters.pointsRejected += batch.length;
        this.counters.pointsDropped += batch.length;
        return true;
      },
    );
    this.sending = sending.finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  private takeBatch(): string[] {
    const end = Math.min(this.queue.length, this.head + this.batchLines);
    let bytes = 0;
    let index = this.head;
    for (; index < end; index++) {
      // Lines are ASCII apart from tag values; byteLength keeps the cap honest for the rest.
      const size = Buffer.byteLength(this.queue[index] ?? "") + 1;
      if (bytes + size > this.batchBytes && index > this.head) break;
      bytes += size;
    }
    const batch = this.queue.slice(this.head, index);
    this.head = index;
    this.compact();
    return batch;
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 65_536 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private scheduleRetry(): void {
    if (this.isStopped || this.backoffTimer) return;
    const exponent = Math.min(this.consecutiveFailures - 1, 10);
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, exponent));
    // Jitter keeps many simulators from retrying in lockstep against one InfluxDB.
    const delay = base * (0.8 + 0.4 * Math.random());
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = null;
      this.kick();
    }, delay);
    this.backoffTimer.unref();
  }

  private clearBackoff(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
  }
}
