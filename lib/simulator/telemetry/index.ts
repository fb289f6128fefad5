// Telegraf-shaped telemetry for the simulated fleet, written to a real InfluxDB 1.x.
// One shared ticker drives every node; each node samples at its own offset within the interval.

import type {
  TelemetryHandle,
  TelemetryNode,
  TelemetryOptions,
  TelemetryStats,
  TemperatureHover,
} from "./contract";
import { toLine, type WritePrecision } from "./line-protocol";
import { buildProfile, type NodeProfile, sampleOffsetMs, samplePoints } from "./signals";
import { DEFAULT_SITE_BUFFER_LIMIT, SiteBuffer } from "./site-buffer";
import {
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_LINES,
  DEFAULT_QUEUE_LIMIT,
  LineWriter,
  postLines,
  WriteError,
  writeUrl,
} from "./writer";

export type * from "./contract";
export { PING_RESULT_ERROR, PING_RESULT_OK, PING_TARGET, sampleOffsetMs } from "./signals";

export interface WriterTuning {
  /** lines per POST (default 5,000) */
  batchLines?: number;
  /** bytes per POST (default 1 MB) */
  batchBytes?: number;
  precision?: WritePrecision;
}

export interface StartTelemetryOptions extends TelemetryOptions, WriterTuning {
  /** how often the shared ticker runs; 0 disables it so only flush() samples (tests) */
  tickMs?: number;
  /** per-site store-and-forward capacity in lines (default 50,000) */
  siteBufferLimit?: number;
  /** lines waiting for InfluxDB before the oldest are dropped (default 500,000) */
  queueLimit?: number;
  /**
   * After a stall (suspended laptop, clock jump) at most this many samples are caught up;
   * like Telegraf, older missed intervals are skipped rather than burst out. Default 150,000
   * (25 min for 1,000 nodes at 10 s).
   */
  maxCatchUpSamples?: number;
}

export interface DetailedTelemetryStats extends TelemetryStats {
  /** lines produced and queued towards InfluxDB but not yet acknowledged */
  pointsQueued: number;
  /** lines lost: site buffers overflowing, writer queue overflowing, batches InfluxDB rejected */
  pointsDropped: number;
  /** lines InfluxDB refused (HTTP 400); included in pointsDropped */
  pointsRejected: number;
  pointsGenerated: number;
  sitesBuffering: number;
  lastError: string | null;
}

export interface OutpostTelemetryHandle extends TelemetryHandle {
  stats(): DetailedTelemetryStats;
}

interface Sample {
  profile: NodeProfile;
  timeMs: number;
}

/** Nodes ordered by their sampling offset so samples come out in time order. */
class FleetSchedule {
  readonly entries: Array<{ profile: NodeProfile; offsetMs: number }>;

  constructor(
    nodes: readonly TelemetryNode[],
    readonly intervalMs: number,
  ) {
    if (!(intervalMs >= 1)) throw new Error(`intervalMs must be >= 1, got ${intervalMs}`);
    this.entries = nodes
      .map((node) => ({ profile: buildProfile(node), offsetMs: sampleOffsetMs(node, intervalMs) }))
      .sort((a, b) => a.offsetMs - b.offsetMs);
  }

  /** Samples with afterMs < time <= untilMs, in time order. */
  *samples(afterMs: number, untilMs: number): Generator<Sample> {
    const { intervalMs } = this;
    const firstWindow = Math.floor(afterMs / intervalMs);
    const lastWindow = Math.floor(untilMs / intervalMs);
    for (let window = firstWindow; window <= lastWindow; window++) {
      const windowStart = window * intervalMs;
      for (const entry of this.entries) {
        const timeMs = windowStart + entry.offsetMs;
        if (timeMs > afterMs && timeMs <= untilMs) yield { profile: entry.profile, timeMs };
      }
    }
  }
}

function linesFor(
  profile: NodeProfile,
  timeMs: number,
  overheatC: number,
  isUplinkDown: boolean,
  precision: WritePrecision,
  out: string[],
  hover: TemperatureHover | null = null,
  clockOffsetMs = 0,
): void {
  // A board that booted with its clock at 1970 produced nothing before it booted.
  if (timeMs + clockOffsetMs < 0) return;
  for (const point of samplePoints(profile, timeMs, overheatC, isUplinkDown, hover)) {
    // A wrong clock shifts the timestamps only: the board measures the real present.
    const line = toLine(
      clockOffsetMs === 0 ? point : { ...point, timeMs: timeMs + clockOffsetMs },
      precision,
    );
    if (line) out.push(line);
  }
}

export function startTelemetry(options: StartTelemetryOptions): OutpostTelemetryHandle {
  const now = options.now ?? Date.now;
  const precision = options.precision ?? "ms";
  const { faults } = options;
  const schedule = new FleetSchedule(options.nodes, options.intervalMs);
  const writer = new LineWriter({
    influxUrl: options.influxUrl,
    database: options.database,
    precision,
    batchLines: options.batchLines ?? DEFAULT_BATCH_LINES,
    batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
    queueLimit: options.queueLimit ?? DEFAULT_QUEUE_LIMIT,
    now,
  });
  const siteBufferLimit = options.siteBufferLimit ?? DEFAULT_SITE_BUFFER_LIMIT;
  const siteBuffers = new Map<string, SiteBuffer>();
  // Sized so one catch-up (about 2.8 lines per sample) stays under the writer's queue limit.
  const maxCatchUpSamples = options.maxCatchUpSamples ?? 150_000;
  const maxCatchUpMs = Math.max(
    options.intervalMs,
    Math.floor(maxCatchUpSamples / Math.max(1, options.nodes.length)) * options.intervalMs,
  );
  let lastTickMs = now();
  let pointsGenerated = 0;
  let tickErrors = 0;
  let lastTickError: string | null = null;
  let isStopped = false;

  const bufferFor = (site: string) => {
    let buffer = siteBuffers.get(site);
    if (!buffer) {
      buffer = new SiteBuffer(siteBufferLimit);
      siteBuffers.set(site, buffer);
    }
    return buffer;
  };

  const tick = () => {
    // Fault lookups are per site/cluster; ask once per tick, not once per node.
    const uplinkDown = new Map<string, boolean>();
    const isSiteDown = (site: string) => {
      let isDown = uplinkDown.get(site);
      if (isDown === undefined) {
        isDown = faults.isUplinkDown(site);
        uplinkDown.set(site, isDown);
      }
      return isDown;
    };
    const brokenClusters = new Map<string, boolean>();

    // A site whose link came back forwards its backlog before anything newer, as a real site does.
    for (const [site, buffer] of siteBuffers) {
      if (buffer.size > 0 && !isSiteDown(site)) writer.enqueue(buffer.drain());
    }

    const nowMs = now();
    if (nowMs <= lastTickMs) {
      writer.kick();
      return;
    }
    const afterMs = Math.max(lastTickMs, nowMs - maxCatchUpMs);
    lastTickMs = nowMs;

    const lines: string[] = [];
    for (const { profile, timeMs } of schedule.samples(afterMs, nowMs)) {
      const { site, cluster, node } = profile.node;
      const clusterKey = `${site}\u0000${cluster}`;
      let isBroken = brokenClusters.get(clusterKey);
      if (isBroken === undefined) {
        isBroken = faults.isTelemetryBroken(site, cluster);
        brokenClusters.set(clusterKey, isBroken);
      }
      if (isBroken || faults.isNodeDown(site, cluster, node)) continue;
      const isDown = isSiteDown(site);
      lines.length = 0;
      linesFor(
        profile,
        timeMs,
        faults.overheatCelsius(site, cluster, node) || 0,
        isDown,
        precision,
        lines,
        faults.hoverCelsius?.(site, cluster, node) ?? null,
        faults.clockOffsetMs?.(site, cluster, node) ?? 0,
      );
      pointsGenerated += lines.length;
      if (isDown) {
        const buffer = bufferFor(site);
        for (const line of lines) buffer.push(line);
      } else {
        writer.enqueue(lines);
      }
    }
    writer.kick();
  };

  const safeTick = () => {
    try {
      tick();
    } catch (error) {
      // A faulty fault provider must not take the simulator down with it.
      tickErrors++;
      lastTickError = (error as Error).message;
    }
  };

  const tickMs = options.tickMs ?? Math.min(1_000, Math.max(20, Math.floor(options.intervalMs / 5)));
  const timer = tickMs > 0 ? setInterval(safeTick, tickMs) : null;
  timer?.unref();

  const stats = (): DetailedTelemetryStats => {
    const writerStats = writer.stats();
    let pointsBuffered = 0;
    let sitesBuffering = 0;
    let siteDropped = 0;
    for (const buffer of siteBuffers.values()) {
      pointsBuffered += buffer.size;
      siteDropped += buffer.dropped;
      if (buffer.size > 0) sitesBuffering++;
    }
    return {
      pointsWritten: writerStats.pointsWritten,
      pointsBuffered,
      writeRequests: writerStats.writeRequests,
      writeErrors: writerStats.writeErrors + tickErrors,
      lastWriteMs: writerStats.lastWriteMs,
      pointsQueued: writerStats.pointsQueued,
      pointsDropped: writerStats.pointsDropped + siteDropped,
      pointsRejected: writerStats.pointsRejected,
      pointsGenerated,
      sitesBuffering,
      lastError: writerStats.lastError ?? lastTickError,
    };
  };

  return {
    async flush() {
      if (!isStopped) tick();
      await writer.flush();
    },
    stats,
    async stop() {
      if (isStopped) return;
      isStopped = true;
      if (timer) clearInterval(timer);
      safeTick();
      try {
        await writer.flush();
      } catch {
        // InfluxDB is down: what is still queued is lost with the process, as it would be.
      }
      writer.stop();
    },
  };
}

export interface BackfillOptions extends Omit<TelemetryOptions, "faults">, WriterTuning {
  /** faults are not replayed into history; accepted so live options can be passed as they are */
  faults?: TelemetryOptions["faults"];
  /** POSTs in flight at once (default 2: one being ingested while the next is built) */
  concurrency?: number;
}

export interface BackfillResult {
  points: number;
  requests: number;
  elapsedMs: number;
}

/**
 * Writes healthy history for every node over [fromMs, toMs] with the same timestamps and values
 * a live run would have produced, streamed in batches so memory stays flat for any range.
 * Pair with startTelemetry({ now }) started at toMs for a gapless series.
 */
export async function backfill(
  options: BackfillOptions,
  fromMs: number,
  toMs: number,
): Promise<BackfillResult> {
  const started = performance.now();
  const precision = options.precision ?? "ms";
  const batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const url = writeUrl(options.influxUrl, options.database, precision);
  const schedule = new FleetSchedule(options.nodes, options.intervalMs);
  const inFlight = new Set<Promise<void>>();
  let points = 0;
  let requests = 0;
  let failure: unknown;

  const send = async (batch: string[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await postLines(url, batch);
        return;
      } catch (error) {
        if (!(error instanceof WriteError && error.isRetriable) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
  };
  const dispatch = async (batch: string[]) => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight).catch(() => {});
    // Stop generating as soon as a batch is lost for good instead of after the whole range.
    if (failure) throw failure;
    requests++;
    points += batch.length;
    const request: Promise<void> = send(batch)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  let batch: string[] = [];
  let batchSize = 0;
  const lines: string[] = [];
  for (const { profile, timeMs } of schedule.samples(fromMs - 1, toMs)) {
    lines.length = 0;
    linesFor(profile, timeMs, 0, false, precision, lines);
    for (const line of lines) {
      // UTF-16 length undercounts only non-ASCII tag values; the byte cap is a soft target.
      const size = line.length + 1;
      if (batch.length >= batchLines || (batchSize + size > batchBytes && batch.length > 0)) {
        await dispatch(batch);
        batch = [];
        batchSize = 0;
      }
      batch.push(line);
      batchSize += size;
    }
  }
  if (batch.length > 0) await dispatch(batch);
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { points, requests, elapsedMs: performance.now() - started };
}
