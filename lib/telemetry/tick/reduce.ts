// From one tick's InfluxDB answer to the stored per-host latest. Pure: the
// previous tick's rows, the answer and `now` in; the new rows out. Implausible
// points (a wrong clock) never become readings; they only feed the skew evidence.
import type { InfluxSeries } from "@/lib/influx/client";
import type { Mapping } from "../schemas";
import { CLOCK_TOLERANCE_MS, PLAUSIBLE_SINCE_MS, type TickStatements, tagColumns } from "./plan";
import { type NodeIdentity, type NodeLatest, nodeKey } from "./types";

/**
 * Skew evidence that stopped advancing this long ago is history, not a clock
 * that is wrong now (the board was fixed, or went dark): the host is just silent.
 */
export const SKEW_EVIDENCE_MAX_AGE_MS = 3 * 60_000;
/** Two probes agree on a lagging clock when its lag moved by less than this (or 10 %). */
const LAG_AGREEMENT_MS = 30_000;

export type JoinFn = (id: NodeIdentity) => { siteId: string | null; clusterId: string | null };

export interface ReduceInput {
  sourceId: string;
  mapping: Mapping;
  plan: TickStatements;
  results: readonly (readonly InfluxSeries[])[];
  previous: ReadonlyMap<string, NodeLatest>;
  join: JoinFn;
}

export interface ReduceOutput {
  nodes: NodeLatest[];
  /** hosts silent for a whole window (or with a wrong clock), most interesting first: the next tick probes them */
  silentHosts: string[];
  /** hosts whose newest point is still inside the window but did not move on (often just timing): probed if room */
  quietHosts: string[];
}

interface Acc {
  id: NodeIdentity;
  sensors: Map<string, { t: number; v: number }>;
  maxC: number | null;
  maxAt: number | null;
  newest: number | null;
  ping: { t: number; loss: number | null; rtt: number | null } | null;
  key: { t: number; v: number } | null;
}

interface Probe {
  id: NodeIdentity;
  implausible: number | null;
  lookbackT: number | null;
  lookbackTemp: { t: number; v: number } | null;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function identityOf(m: Mapping, tag: (name: string) => string | null): NodeIdentity {
  const isTags = m.join === "tags";
  return {
    siteTag: isTags ? (tag(m.siteTag) ?? "") : "",
    clusterTag: isTags && m.clusterTag ? (tag(m.clusterTag) ?? "") : "",
    host: tag(m.hostTag) ?? "",
  };
}

/** Rows of plain-SELECT series: one object per point with its tag columns. */
function* rawRows(
  series: readonly InfluxSeries[],
): Generator<{ t: number; col: (name: string) => unknown; tags: Record<string, string> }> {
  for (const s of series) {
    const idx = new Map(s.columns.map((c, i) => [c, i]));
    for (const row of s.values) {
      const t = num(row[0]);
      if (t === null) continue;
      yield { t, col: (name) => row[idx.get(name) ?? -1], tags: s.tags };
    }
  }
}

/** The single [time, v] of each series of a `last()`/`max()` statement. */
function* selectorRows(
  series: readonly InfluxSeries[],
): Generator<{ t: number; v: number | null; tags: Record<string, string> }> {
  for (const s of series) {
    const row = s.values[0];
    const t = num(row?.[0]);
    if (t === null) continue;
    yield { t, v: num(row?.[1]), tags: s.tags };
  }
}

export function reduceTick(input: ReduceInput): ReduceOutput {
  const { mapping: m, plan, results, previous } = input;
  const { window } = plan;
  const now = window.to;
  const accs = new Map<string, Acc>();
  const accFor = (id: NodeIdentity): Acc | null => {
    if (id.host === "") return null;
    const key = nodeKey(id);
    let a = accs.get(key);
    if (!a) {
      a = { id, sensors: new Map(), maxC: null, maxAt: null, newest: null, ping: null, key: null };
      accs.set(key, a);
    }
    return a;
  };
  const seen = (a: Acc, t: number) => {
    if (a.newest === null || t > a.newest) a.newest = t;
  };
  const sensorTag = m.temperature.sensorTag;
  const tempPoint = (a: Acc, sensor: string, t: number, v: number) => {
    seen(a, t);
    const prev = a.sensors.get(sensor);
    if (!prev || t > prev.t) a.sensors.set(sensor, { t, v });
  };
  const maxPoint = (a: Acc, t: number, v: number) => {
    if (a.maxC === null || v > a.maxC) {
      a.maxC = v;
      a.maxAt = t;
    }
  };
  // Points outside the window's plausible range never reach a reading, whatever the server sent.
  const isPlausible = (t: number) => t > window.from && t <= window.futureLimit;
  const series = (i: number | null): readonly InfluxSeries[] => (i === null ? [] : (results[i] ?? []));

  if (window.mode === "raw") {
    const tagNames = tagColumns(m, true);
    for (const r of rawRows(series(plan.temp))) {
      if (!isPlausible(r.t)) continue;
      const v = num(r.col("v"));
      if (v === null) continue;
      const tag = (name: string) =>
        (tagNames.includes(name) ? str(r.col(name)) : null) ?? r.tags[name] ?? null;
      const a = accFor(identityOf(m, tag));
      if (!a) continue;
      tempPoint(a, sensorTag ? (tag(sensorTag) ?? "") : "", r.t, v);
      maxPoint(a, r.t, v);
    }
    for (const r of rawRows(series(plan.ping))) {
      if (!isPlausible(r.t)) continue;
      const tag = (name: string) => str(r.col(name)) ?? r.tags[name] ?? null;
      const a = accFor(identityOf(m, tag));
      if (!a) continue;
      seen(a, r.t);
      if (!a.ping || r.t > a.ping.t) a.ping = { t: r.t, loss: num(r.col("loss")), rtt: num(r.col("rtt")) };
    }
  } else {
    for (const r of selectorRows(series(plan.temp))) {
      if (!isPlausible(r.t) || r.v === null) continue;
      const a = accFor(identityOf(m, (n) => r.tags[n] ?? null));
      if (a) tempPoint(a, sensorTag ? (r.tags[sensorTag] ?? "") : "", r.t, r.v);
    }
    for (const r of selectorRows(series(plan.tempMax))) {
      if (!isPlausible(r.t) || r.v === null) continue;
      const a = accFor(identityOf(m, (n) => r.tags[n] ?? null));
      if (a) maxPoint(a, r.t, r.v);
    }
    for (const r of selectorRows(series(plan.ping))) {
      if (!isPlausible(r.t)) continue;
      const a = accFor(identityOf(m, (n) => r.tags[n] ?? null));
      if (!a) continue;
      seen(a, r.t);
      if (!a.ping || r.t > a.ping.t) a.ping = { t: r.t, loss: r.v, rtt: a.ping?.rtt ?? null };
    }
    for (const r of selectorRows(series(plan.pingRtt))) {
      if (!isPlausible(r.t)) continue;
      const a = accFor(identityOf(m, (n) => r.tags[n] ?? null));
      if (!a) continue;
      seen(a, r.t);
      if (!a.ping) a.ping = { t: r.t, loss: null, rtt: r.v };
      else a.ping.rtt = r.v;
    }
  }

  // The key metric is shown beside a node; it says nothing about silence or clocks, so it does not count as "seen".
  const keyPoint = (tags: (name: string) => string | null, t: number, v: number | null) => {
    if (!isPlausible(t) || v === null) return;
    const a = accFor(identityOf(m, tags));
    if (a && (!a.key || t > a.key.t)) a.key = { t, v };
  };
  if (window.mode === "raw") {
    for (const r of rawRows(series(plan.key)))
      keyPoint((n) => str(r.col(n)) ?? r.tags[n] ?? null, r.t, num(r.col("v")));
  } else {
    for (const r of selectorRows(series(plan.key))) keyPoint((n) => r.tags[n] ?? null, r.t, r.v);
  }

  const probes = collectProbes(m, plan, results);
  const out: NodeLatest[] = [];
  const keys = new Set<string>([...previous.keys(), ...accs.keys(), ...probes.keys()]);
  for (const key of keys) {
    const prev = previous.get(key) ?? null;
    const acc = accs.get(key) ?? null;
    const probe = probes.get(key) ?? null;
    const id = acc?.id ?? probe?.id ?? (prev as NodeIdentity);
    const node = nextNode(input, id, prev, acc, probe, now);
    if (node) out.push(node);
  }
  const notSpeaking = out.filter(
    (n) => !isSpeaking(accs.get(nodeKey(n)) ?? null, previous.get(nodeKey(n)) ?? null),
  );
  const isLongSilent = (n: NodeLatest) =>
    n.skewMs !== null || n.lastPointAt === null || n.lastPointAt <= window.from;
  // Clocks known wrong first (to follow them), then the most recently silent (a clock that just went wrong).
  const silent = notSpeaking
    .filter(isLongSilent)
    .sort(
      (a, b) =>
        Number(b.skewMs !== null) - Number(a.skewMs !== null) || (b.lastPointAt ?? 0) - (a.lastPointAt ?? 0),
    );
  const quiet = notSpeaking
    .filter((n) => !isLongSilent(n))
    .sort((a, b) => (a.lastPointAt ?? 0) - (b.lastPointAt ?? 0));
  const silentHosts = [...new Set(silent.map((n) => n.host))];
  const taken = new Set(silentHosts);
  const quietHosts = [...new Set(quiet.map((n) => n.host))].filter((h) => !taken.has(h));
  return { nodes: out, silentHosts, quietHosts };
}

function collectProbes(
  m: Mapping,
  plan: TickStatements,
  results: ReduceInput["results"],
): Map<string, Probe> {
  const out = new Map<string, Probe>();
  const p = plan.probes;
  if (!p) return out;
  const wanted = new Set(p.hosts);
  const probeFor = (tags: Record<string, string>): Probe | null => {
    const id = identityOf(m, (n) => tags[n] ?? null);
    if (id.host === "" || !wanted.has(id.host)) return null;
    const key = nodeKey(id);
    let probe = out.get(key);
    if (!probe) {
      probe = { id, implausible: null, lookbackT: null, lookbackTemp: null };
      out.set(key, probe);
    }
    return probe;
  };
  const { window } = plan;
  for (const i of [p.future, p.ancient]) {
    for (const r of selectorRows(results[i] ?? [])) {
      // Only what is really implausible: the statement's bounds are re-checked here.
      if (r.t <= window.futureLimit && r.t >= PLAUSIBLE_SINCE_MS) continue;
      const probe = probeFor(r.tags);
      if (probe && (probe.implausible === null || r.t > probe.implausible)) probe.implausible = r.t;
    }
  }
  for (const [i, isTemp] of [
    [p.lookbackTemp, true],
    [p.lookbackPing, false],
  ] as const) {
    if (i === null) continue;
    for (const r of selectorRows(results[i] ?? [])) {
      if (r.t > window.futureLimit) continue;
      const probe = probeFor(r.tags);
      if (!probe) continue;
      if (probe.lookbackT === null || r.t > probe.lookbackT) probe.lookbackT = r.t;
      if (isTemp && r.v !== null && (probe.lookbackTemp === null || r.t > probe.lookbackTemp.t))
        probe.lookbackTemp = { t: r.t, v: r.v };
    }
  }
  return out;
}

/**
 * The host sent a point we had not seen: its newest plausible point moved on. A
 * point still inside the overlapping window from the last tick does not count,
 * so a clock that just went wrong is noticed on the very next tick.
 */
function isSpeaking(acc: Acc | null, prev: NodeLatest | null): boolean {
  return acc?.newest != null && (prev?.lastPointAt == null || acc.newest > prev.lastPointAt);
}

function max(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

function nextNode(
  input: ReduceInput,
  id: NodeIdentity,
  prev: NodeLatest | null,
  acc: Acc | null,
  probe: Probe | null,
  now: number,
): NodeLatest | null {
  const { window } = input.plan;
  const joined = input.join(id);
  const node: NodeLatest = {
    sourceId: input.sourceId,
    siteTag: id.siteTag,
    clusterTag: id.clusterTag,
    host: id.host,
    siteId: joined.siteId,
    clusterId: joined.clusterId,
    tempC: prev?.tempC ?? null,
    tempAt: prev?.tempAt ?? null,
    windowMaxC: null,
    windowMaxAt: null,
    windowFrom: window.from,
    windowTo: window.to,
    lastPointAt: prev?.lastPointAt ?? null,
    pingAt: prev?.pingAt ?? null,
    lossPct: prev?.lossPct ?? null,
    rttMs: prev?.rttMs ?? null,
    keyValue: prev?.keyValue ?? null,
    keyAt: prev?.keyAt ?? null,
    skewMs: prev?.skewMs ?? null,
    skewSeenAt: prev?.skewSeenAt ?? null,
    probeNewestAt: prev?.probeNewestAt ?? null,
    probeAt: prev?.probeAt ?? null,
    tickAt: now,
  };
  if (acc) {
    node.windowMaxC = acc.maxC;
    node.windowMaxAt = acc.maxAt;
    if (acc.key && (node.keyAt === null || acc.key.t >= node.keyAt)) {
      node.keyValue = acc.key.v;
      node.keyAt = acc.key.t;
    }
  }
  if (acc?.newest != null && isSpeaking(acc, prev)) {
    // New plausible points arrived: whatever the clock did before, it is right now.
    node.lastPointAt = max(node.lastPointAt, acc.newest);
    let best: { t: number; v: number } | null = null;
    // Several sensors on one board: the hottest recent one speaks for the node.
    for (const s of acc.sensors.values()) if (!best || s.v > best.v) best = s;
    if (best && (node.tempAt === null || best.t >= node.tempAt)) {
      node.tempC = best.v;
      node.tempAt = best.t;
    }
    if (acc.ping && (node.pingAt === null || acc.ping.t >= node.pingAt)) {
      node.pingAt = acc.ping.t;
      node.lossPct = acc.ping.loss;
      node.rttMs = acc.ping.rtt;
    }
    node.skewMs = null;
    node.skewSeenAt = null;
    node.probeNewestAt = null;
    node.probeAt = null;
    return node;
  }
  if (probe) applyProbe(node, prev, probe, now);
  if (node.skewSeenAt !== null && now - node.skewSeenAt > SKEW_EVIDENCE_MAX_AGE_MS) {
    node.skewMs = null;
    node.skewSeenAt = null;
  }
  // A host never seen with a plausible point and without live skew evidence is not worth a row.
  if (node.lastPointAt === null && node.skewMs === null && node.probeNewestAt === null) return null;
  return node;
}

function applyProbe(node: NodeLatest, prev: NodeLatest | null, probe: Probe, now: number): void {
  node.probeAt = now;
  if (probe.implausible !== null) {
    // Future or pre-2020 points from a host with nothing plausible in the window: a wrong clock.
    const isAdvancing = prev?.probeNewestAt == null || probe.implausible > prev.probeNewestAt;
    if (isAdvancing || node.skewMs === null) {
      node.skewMs = probe.implausible - now;
      if (isAdvancing) node.skewSeenAt = now;
    }
    node.probeNewestAt = probe.implausible;
    return;
  }
  const t = probe.lookbackT;
  if (t === null) return;
  // Points older than the window that we had not seen: late (store and forward) or a lagging clock.
  node.lastPointAt = max(node.lastPointAt, t);
  const lt = probe.lookbackTemp;
  if (lt && (node.tempAt === null || lt.t > node.tempAt)) {
    node.tempC = lt.v;
    node.tempAt = lt.t;
  }
  const lag = now - t;
  const prevT = prev?.probeNewestAt ?? null;
  const prevAt = prev?.probeAt ?? null;
  if (lag > CLOCK_TOLERANCE_MS && prevT !== null && prevAt !== null && t > prevT) {
    // Advancing at the pace of real time while staying behind: the clock is behind, not a backlog draining.
    const prevLag = prevAt - prevT;
    if (Math.abs(lag - prevLag) <= Math.max(LAG_AGREEMENT_MS, lag * 0.1)) {
      node.skewMs = -lag;
      node.skewSeenAt = now;
    }
  }
  node.probeNewestAt = t;
}
