import "server-only";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { DataSource, Prisma } from "@/lib/generated/prisma/client";
import { influxQuery } from "@/lib/influx/client";
import { log } from "@/lib/log";
import { freshThresholdChain } from "@/lib/thresholds/store";
import { loadDataSourceRows, parseMapping, targetFor } from "../data-sources";
import { LOOKBACK_MS } from "../queries";
import { buildSiteTelemetry } from "../site-telemetry";
import { telemetryCurrentMs } from "./currency";
import { joinForSource } from "./join";
import { changedTelemetrySites } from "./marks";
import { MAX_PROBE_HOSTS, planWindow, tickStatements } from "./plan";
import { reduceTick } from "./reduce";
import type { RowWriter } from "./row-json";
import { loadSourceNodes, loadStatus, type TickWriter, writeStatus, writeTick } from "./store";
import { type NodeLatest, nodeKey, type SourceTickStatus } from "./types";

// The telemetry tick: once per tick, ONE request per data source for the whole
// fleet; the answer is reduced to a row per host and stored. Health, the
// hottest list and the alert evaluator read the store, so however many screens
// are open, InfluxDB sees one query per source per tick, and no page waits on it.
// A source that hangs holds up only its own next tick.

export interface TickEvent {
  sourceId: string;
  isOk: boolean;
  at: number;
  tickSeq: number;
  hosts: number;
  queryMs: number | null;
  /** sites whose stored telemetry this tick rewrote */
  siteIds: string[];
  /** where the tick's time went (ms); null for a failed tick */
  phasesMs: TickPhases | null;
  /** host rows upserted and deleted; a tick where nothing moved writes none */
  rowsWritten: number;
  rowsDeleted: number;
}

/** A tick's wall time by phase, so the bench and the log can say which part is slow. */
export interface TickPhases {
  /** registry join, window and statements */
  prepare: number;
  /** the one InfluxDB request, answer parsed */
  query: number;
  reduce: number;
  /** threshold chain, each site's telemetry state key: which sites the summary must mark */
  derive: number;
  /** the transaction: marks, host rows, status */
  write: number;
}

export type TickListener = (event: TickEvent) => void | Promise<void>;

// Every tick instance of this process reports here too, so a consumer (the alert
// evaluator) subscribes once, whichever service instance happens to run.
const globalListeners = globalThis as unknown as { outpostTickListeners?: Set<TickListener> };
globalListeners.outpostTickListeners ??= new Set();
const processListeners: Set<TickListener> = globalListeners.outpostTickListeners;

/** Called after every stored tick (ok or failed) of any data source in this process; returns an unsubscribe. */
export function onTelemetryTick(listener: TickListener): () => void {
  processListeners.add(listener);
  return () => processListeners.delete(listener);
}

export interface TelemetryTickOptions {
  tickMs?: number;
  now?: () => number;
  /**
   * Marks sites whose telemetry-derived state this tick changed, written in the
   * same transaction as the tick (the fleet summary's marks; wired by the worker).
   */
  markSites?: (siteIds: readonly string[], tx: Tx) => Prisma.PrismaPromise<unknown>[];
  /** runs the tick's writes; the worker host passes one fenced by the tick's lease */
  write?: TickWriter;
}

/** Query deadline of a plain tick: a stalled InfluxDB must not hold the source's ticks for its full timeout. */
export function tickTimeoutMs(tickMs: number, sourceTimeoutMs: number): number {
  return Math.min(sourceTimeoutMs, Math.max(2 * tickMs, 5_000));
}

interface SourceState {
  nodes: Map<string, NodeLatest> | null;
  status: SourceTickStatus | null;
  /** each site's telemetry state key at the last stored tick; null: unknown (mark every site next time) */
  keys: Map<string, string> | null;
  /** the configuration the window continues from; another one starts over with a catch-up */
  targetKey: string | null;
  silentHosts: string[];
  quietHosts: string[];
  probeTurn: number;
  /** the tickSeq at which `nodes` is what the store holds; null: not known yet (the next write replaces all) */
  storedSeq: number | null;
  inFlight: Promise<void> | null;
  nextAt: number;
}

export class TelemetryTick {
  readonly tickMs: number;
  private readonly now: () => number;
  private readonly markSites: TelemetryTickOptions["markSites"];
  private readonly write: TelemetryTickOptions["write"];
  private readonly sources = new Map<string, SourceState>();
  private readonly listeners = new Set<TickListener>();
  private timer: NodeJS.Timeout | null = null;
  private isStopped = true;
  private scanning: Promise<void> | null = null;

  constructor(options: TelemetryTickOptions = {}) {
    this.tickMs = options.tickMs ?? env().OUTPOST_TELEMETRY_TICK_SECONDS * 1000;
    this.now = options.now ?? Date.now;
    this.markSites = options.markSites;
    this.write = options.write;
  }

  onTick(listener: TickListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    if (!this.isStopped) return;
    this.isStopped = false;
    const loop = () => {
      if (this.isStopped || this.scanning) return;
      this.scanning = this.scan()
        .catch((err) => log.error("telemetry tick failed", { error: String(err) }))
        .finally(() => {
          this.scanning = null;
        });
    };
    // Check often; each source runs at its own pace and never overlaps itself.
    this.timer = setInterval(loop, Math.max(100, Math.min(1_000, this.tickMs / 4)));
    this.timer.unref();
    loop();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.scanning;
    await Promise.allSettled([...this.sources.values()].map((s) => s.inFlight));
  }

  /**
   * Ticks every data source once, now, and waits for the results to be stored (tests, benchmarks).
   * `rewriteAll` replaces every host row as ticks did before they wrote only what moved, and
   * `rowWriter` writes them another way than the JSON writer (the bench compares both).
   */
  async runOnce(options: { rewriteAll?: boolean; rowWriter?: RowWriter } = {}): Promise<TickEvent[]> {
    const rows = await loadDataSourceRows();
    const events: TickEvent[] = [];
    await Promise.all(
      rows.map(async (row) => {
        const state = this.stateFor(row.id);
        if (state.inFlight) await state.inFlight;
        const run = this.tickSource(row, rows, options).then((e) => {
          events.push(e);
        });
        state.inFlight = run.finally(() => {
          state.inFlight = null;
        });
        await state.inFlight;
      }),
    );
    return events;
  }

  private stateFor(id: string): SourceState {
    let state = this.sources.get(id);
    if (!state) {
      state = {
        nodes: null,
        status: null,
        keys: null,
        targetKey: null,
        silentHosts: [],
        quietHosts: [],
        probeTurn: 0,
        storedSeq: null,
        inFlight: null,
        nextAt: 0,
      };
      this.sources.set(id, state);
    }
    return state;
  }

  private async scan(): Promise<void> {
    const rows = await loadDataSourceRows();
    const live = new Set(rows.map((r) => r.id));
    for (const id of this.sources.keys()) if (!live.has(id)) this.sources.delete(id);
    const now = this.now();
    for (const row of rows) {
      const state = this.stateFor(row.id);
      if (state.inFlight || now < state.nextAt) continue;
      state.nextAt = now + this.tickMs;
      state.inFlight = this.tickSource(row, rows)
        .then(() => undefined)
        .catch((err) =>
          log.error("telemetry tick of a source failed", { source: row.name, error: String(err) }),
        )
        .finally(() => {
          state.inFlight = null;
        });
    }
  }

  private async tickSource(
    row: DataSource,
    rows: readonly DataSource[],
    { rewriteAll = false, rowWriter }: { rewriteAll?: boolean; rowWriter?: RowWriter } = {},
  ): Promise<TickEvent> {
    const started = performance.now();
    const state = this.stateFor(row.id);
    state.nodes ??= new Map((await loadSourceNodes(row.id)).map((n) => [nodeKey(n), n]));
    state.status ??= (await loadStatus(row.id)) ?? emptyStatus(row.id);
    const now = this.now();
    const m = parseMapping(row.mapping);
    const { join, expectedHosts, sites } = await joinForSource(row, m, rows, now);
    const target = targetFor(row);
    // Another URL or database may hold other history: only the same configuration continues a window.
    const isSameTarget = state.targetKey === null || state.targetKey === target.key;
    const previousTo = state.status.lastOkAt === null || !isSameTarget ? null : state.status.windowTo;
    const window = planWindow(previousTo, now);
    // Silent hosts, and registered nodes that never reported: where a wrong clock hides.
    const candidates = [...state.silentHosts];
    const known = new Set([...state.nodes.values()].map((n) => n.host));
    for (const host of expectedHosts) if (!known.has(host)) candidates.push(host);
    const probeHosts = takeTurn([...new Set(candidates)], state.probeTurn++, MAX_PROBE_HOSTS);
    // Hosts that only missed this tick's timing fill what room is left.
    for (const host of state.quietHosts) {
      if (probeHosts.length >= MAX_PROBE_HOSTS) break;
      if (!probeHosts.includes(host)) probeHosts.push(host);
    }
    const plan = tickStatements(m, row.retentionPolicy, window, probeHosts);
    const timeoutMs = window.mode === "raw" ? tickTimeoutMs(this.tickMs, row.timeoutMs) : row.timeoutMs;
    const queried = performance.now();
    const outcome = await influxQuery({ ...target, timeoutMs }, plan.statements, { cacheMs: 0 });
    const answered = performance.now();
    const status: SourceTickStatus = { ...state.status, lastTickAt: now };
    if (!outcome.ok) {
      status.lastErrorAt = now;
      status.lastErrorReason = outcome.reason;
      status.lastErrorMessage = outcome.message;
      await writeStatus(status, this.write);
      state.status = status;
      state.keys = null;
      return this.emit({
        sourceId: row.id,
        isOk: false,
        at: now,
        tickSeq: status.tickSeq,
        hosts: state.nodes.size,
        queryMs: null,
        siteIds: [],
        phasesMs: null,
        rowsWritten: 0,
        rowsDeleted: 0,
      });
    }
    const { nodes, silentHosts, quietHosts } = reduceTick({
      sourceId: row.id,
      mapping: m,
      plan,
      results: outcome.statements,
      previous: state.nodes,
      join,
    });
    const reduced = performance.now();
    // Hosts silent for longer than the lookback leave the list, as they did when it was queried live.
    const kept = nodes.filter((n) => n.skewMs !== null || (n.lastPointAt ?? 0) > now - LOOKBACK_MS);
    Object.assign(status, {
      tickSeq: status.tickSeq + 1,
      lastOkAt: now,
      queryMs: outcome.elapsedMs,
      hosts: kept.length,
      windowFrom: window.from,
      windowTo: window.to,
      lastMode: window.mode,
    });
    // Sites whose telemetry state this tick really changed (not every 52.1 → 52.3 °C): the summary recomputes those.
    const wasCurrent =
      state.status.lastOkAt !== null && now - state.status.lastOkAt <= telemetryCurrentMs(this.tickMs);
    const previousKeys = wasCurrent && isSameTarget ? state.keys : null;
    const inputs = buildSiteTelemetry({
      sites,
      sources: rows,
      statuses: [status],
      nodes: kept,
      now,
      tickMs: this.tickMs,
      // Read afresh: a key judged with a chain cached from before a threshold change could miss a "hot" change.
      chain: await freshThresholdChain(),
    });
    const { keys, changed } = changedTelemetrySites(
      previousKeys,
      sites.map((s) => s.id),
      inputs.bySite,
      now,
    );
    const marks = this.markSites;
    const derived = performance.now();
    const stored =
      rewriteAll || state.storedSeq === null ? null : { nodes: state.nodes, tickSeq: state.storedSeq };
    const written = await writeTick(status, kept, {
      stored,
      extra: (tx) => (marks && changed.length > 0 ? marks(changed, tx) : []),
      write: this.write,
      rowWriter,
    });
    const done = performance.now();
    state.storedSeq = status.tickSeq;
    state.keys = keys;
    const siteIds = new Set<string>();
    for (const n of kept) if (n.siteId) siteIds.add(n.siteId);
    for (const n of state.nodes.values()) if (n.siteId) siteIds.add(n.siteId);
    state.nodes = new Map(kept.map((n) => [nodeKey(n), n]));
    state.status = status;
    state.silentHosts = silentHosts;
    state.quietHosts = quietHosts;
    state.targetKey = target.key;
    return this.emit({
      sourceId: row.id,
      isOk: true,
      at: now,
      tickSeq: status.tickSeq,
      hosts: kept.length,
      queryMs: outcome.elapsedMs,
      siteIds: [...siteIds],
      phasesMs: {
        prepare: queried - started,
        query: answered - queried,
        reduce: reduced - answered,
        derive: derived - reduced,
        write: done - derived,
      },
      rowsWritten: written.rowsWritten,
      rowsDeleted: written.rowsDeleted,
    });
  }

  private async emit(event: TickEvent): Promise<TickEvent> {
    for (const listener of [...this.listeners, ...processListeners]) {
      try {
        await listener(event);
      } catch (err) {
        log.error("telemetry tick listener failed", { error: String(err) });
      }
    }
    return event;
  }
}

function emptyStatus(sourceId: string): SourceTickStatus {
  return {
    sourceId,
    tickSeq: 0,
    lastTickAt: null,
    lastOkAt: null,
    lastErrorAt: null,
    lastErrorReason: null,
    lastErrorMessage: null,
    queryMs: null,
    hosts: 0,
    windowFrom: null,
    windowTo: null,
    lastMode: null,
  };
}

/** The turn-th slice of `limit` items, wrapping around: every candidate is probed in turn. */
export function takeTurn<T>(items: readonly T[], turn: number, limit: number): T[] {
  if (items.length <= limit) return [...items];
  const start = (turn * limit) % items.length;
  const out = items.slice(start, start + limit);
  if (out.length < limit) out.push(...items.slice(0, limit - out.length));
  return out;
}
