import {
  describeSource,
  resolveThreshold,
  type ThresholdChain,
  type ThresholdLevel,
  type ThresholdSource,
} from "@/lib/thresholds/chain";
import { instanceKey, nodeSubject, siteSubject } from "./identity";
import { isInScope, isNodeRule, type Rule } from "./rules";
import {
  BOOLEAN_LEVELS,
  booleanSample,
  type InstanceState,
  initialState,
  type Levels,
  type Sample,
  step,
  type Transition,
} from "./state";

// One evaluation of the whole fleet, pure: facts in (what the collector and
// the telemetry tick last saw, plus any backfilled late points), every rule
// applied to every subject in its scope, the new instance states and their
// transitions out. No clock, no I/O: `now` and the facts are parameters.

export interface NodeFacts {
  name: string;
  /** null: not known (cluster unreachable or never polled) */
  isReady: boolean | null;
}

export interface SiteFacts {
  id: string;
  slug: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  /** the health model's verdict: the site's clusters cannot be reached (outside an expected-offline window) */
  isUnreachable: boolean | null;
  /** dark by plan right now (a vehicle at night): silence is expected, notifications are muted */
  isExpectedOffline: boolean;
  clusters: { id: string; name: string; isReachable: boolean | null; nodes: NodeFacts[] }[];
}

/** What telemetry says about one host of a site. */
export interface HostFacts {
  siteId: string;
  clusterId: string | null;
  host: string;
  /** highest temperature per window, event-time order: the live window, after any backfilled late windows */
  samples: Sample[];
  /** newest plausible point of any measurement (ms); null: none in the lookback */
  lastPointAt: number | null;
  /** the host's clock is off by this much (ms); its points never fire or clear an alert */
  skewMs: number | null;
  /** false when the host's data source did not answer: silence then means nothing */
  isSourceOk: boolean;
}

export type Suppression = "site-unreachable";

/**
 * A transition learned more than this after it happened was "reported late"
 * (buffered data): two evaluations, and never less than a minute, so points that
 * merely arrive a little after their window are on time.
 */
export function lateAfterMs(intervalMs: number): number {
  return Math.max(2 * intervalMs, 60_000);
}

/** Where an alert's level comes from: the threshold chain, or a level fixed on the rule itself. */
export type AlertThresholdSource = ThresholdSource | { level: "rule"; name: string };

export function describeAlertSource(
  source: AlertThresholdSource,
  viewpoint: ThresholdLevel | null = null,
): string {
  return source.level === "rule" ? `set on rule ${source.name}` : describeSource(source, viewpoint);
}

export interface InstanceRecord {
  key: string;
  ruleId: string;
  subject: string;
  siteId: string;
  clusterId: string | null;
  node: string | null;
  state: InstanceState;
  /** the level it is judged against now, with its source (temperature) */
  threshold: { celsius: number; source: AlertThresholdSource } | null;
  suppressed: Suppression | null;
  /** clock skew seen on the node (its points are ignored) */
  skewMs: number | null;
  /** the current episode began firing this long before the evaluator learned of it (late data) */
  firingLateMs: number | null;
  lastEvaluatedAt: number;
}

export interface HistoryEntry {
  key: string;
  ruleId: string;
  siteId: string;
  transition: Transition;
  /** how long after it happened the evaluator learned of it (late data); 0 when on time */
  reportedLateMs: number;
}

export interface EvaluationInput {
  now: number;
  /** the evaluation interval: a transition older than two of them is "reported late" */
  intervalMs: number;
  rules: readonly Rule[];
  sites: readonly SiteFacts[];
  hosts: readonly HostFacts[];
  chain: ThresholdChain;
  /** every instance the store holds (normal ones may be absent: they start from the initial state) */
  instances: ReadonlyMap<string, InstanceRecord>;
}

export interface EvaluationOutput {
  /** every instance evaluated (in scope of an enabled rule), by key */
  instances: Map<string, InstanceRecord>;
  /** keys whose state, suppression or threshold changed (what needs writing) */
  changed: Set<string>;
  history: HistoryEntry[];
}

function sameState(a: InstanceRecord | undefined, b: InstanceRecord): boolean {
  if (!a) return b.state.phase === "normal" && b.state.seq === 0 && b.suppressed === null;
  return (
    a.state.phase === b.state.phase &&
    a.state.seq === b.state.seq &&
    a.state.severity === b.state.severity &&
    a.suppressed === b.suppressed &&
    a.skewMs === b.skewMs &&
    a.threshold?.celsius === b.threshold?.celsius &&
    // Values of an open incident are shown; a normal instance's value is not worth a write.
    (b.state.phase === "normal" || (a.state.value === b.state.value && a.state.valueAt === b.state.valueAt))
  );
}

export function evaluateFleet(input: EvaluationInput): EvaluationOutput {
  const { now, intervalMs, chain } = input;
  const out: EvaluationOutput = { instances: new Map(), changed: new Set(), history: [] };
  const hostsBySite = new Map<string, HostFacts[]>();
  for (const h of input.hosts) {
    const list = hostsBySite.get(h.siteId) ?? [];
    list.push(h);
    hostsBySite.set(h.siteId, list);
  }
  const liveFrom = now - intervalMs;

  const apply = (
    rule: Rule,
    site: SiteFacts,
    subject: string,
    where: { clusterId: string | null; node: string | null },
    samples: readonly Sample[],
    levels: Levels,
    extra: Pick<InstanceRecord, "threshold" | "suppressed" | "skewMs">,
  ) => {
    const key = instanceKey(rule.id, subject);
    const prev = input.instances.get(key);
    let state = prev?.state ?? initialState();
    let firingLateMs = prev?.firingLateMs ?? null;
    const periods = { forMs: rule.forSeconds * 1000, clearForMs: rule.clearForSeconds * 1000 };
    for (const sample of samples) {
      const r = step(state, sample, levels, periods);
      state = r.state;
      for (const t of r.transitions) {
        const late = now - t.at;
        const reportedLateMs = late > lateAfterMs(intervalMs) ? late : 0;
        if (t.kind === "firing") firingLateMs = reportedLateMs > 0 ? reportedLateMs : null;
        if (t.to === "normal") firingLateMs = null;
        out.history.push({ key, ruleId: rule.id, siteId: site.id, transition: t, reportedLateMs });
      }
    }
    const record: InstanceRecord = {
      key,
      ruleId: rule.id,
      subject,
      siteId: site.id,
      clusterId: where.clusterId ?? prev?.clusterId ?? null,
      node: where.node,
      state,
      ...extra,
      firingLateMs,
      lastEvaluatedAt: now,
    };
    out.instances.set(key, record);
    if (!sameState(prev, record)) out.changed.add(key);
  };

  for (const rule of input.rules) {
    if (!rule.isEnabled) continue;
    for (const site of input.sites) {
      if (!isInScope(rule.scope, site)) continue;
      const isDark = site.isUnreachable === true;
      const suppressed: Suppression | null = isNodeRule(rule.kind) && isDark ? "site-unreachable" : null;
      const hosts = hostsBySite.get(site.id) ?? [];

      switch (rule.kind) {
        case "site-unreachable": {
          apply(
            rule,
            site,
            siteSubject(site.id),
            { clusterId: null, node: null },
            [booleanSample(liveFrom, now, site.isUnreachable)],
            BOOLEAN_LEVELS,
            { threshold: null, suppressed: null, skewMs: null },
          );
          break;
        }
        case "temperature": {
          for (const h of hosts) {
            const effective = resolveThreshold(chain, {
              kind: site.kind,
              siteId: site.id,
              clusterId: h.clusterId,
              node: h.host,
            });
            const level = rule.warnCelsius ?? effective.celsius;
            const critical = rule.criticalCelsius ?? effective.critical?.celsius ?? null;
            const levels: Levels = {
              level,
              critical: critical !== null && critical > level ? critical : null,
              clearMargin: rule.clearMargin,
            };
            const source: AlertThresholdSource =
              rule.warnCelsius !== null ? { level: "rule", name: rule.name } : effective.source;
            // A wrong clock's points neither fire nor clear anything; the skew is shown instead.
            const samples = h.skewMs !== null ? [] : h.samples;
            apply(
              rule,
              site,
              nodeSubject(site.id, h.host),
              { clusterId: h.clusterId, node: h.host },
              samples,
              levels,
              {
                threshold: { celsius: level, source },
                suppressed,
                skewMs: h.skewMs,
              },
            );
          }
          break;
        }
        case "node-not-ready": {
          for (const c of site.clusters) {
            for (const n of c.nodes) {
              // A dark site's last snapshot says nothing about now: hold until it answers again.
              const isNotReady = isDark || c.isReachable !== true || n.isReady === null ? null : !n.isReady;
              apply(
                rule,
                site,
                nodeSubject(site.id, n.name),
                { clusterId: c.id, node: n.name },
                [booleanSample(liveFrom, now, isNotReady)],
                BOOLEAN_LEVELS,
                { threshold: null, suppressed, skewMs: null },
              );
            }
          }
          break;
        }
        case "sensor-silent": {
          const readiness = new Map<string, { isReady: boolean | null; isReachable: boolean | null }>();
          for (const c of site.clusters)
            for (const n of c.nodes)
              readiness.set(n.name, { isReady: n.isReady, isReachable: c.isReachable });
          for (const h of hosts) {
            const known = readiness.get(h.host);
            // Silent only means broken while the cluster answers, the node is Ready, the site is not
            // dark by plan and the data source itself answered.
            const isJudgeable =
              !isDark &&
              !site.isExpectedOffline &&
              h.isSourceOk &&
              h.skewMs === null &&
              known?.isReachable === true &&
              known.isReady === true;
            const isSilent = isJudgeable
              ? h.lastPointAt === null || now - h.lastPointAt > rule.noDataSeconds * 1000
              : null;
            apply(
              rule,
              site,
              nodeSubject(site.id, h.host),
              { clusterId: h.clusterId, node: h.host },
              [booleanSample(liveFrom, now, isSilent)],
              BOOLEAN_LEVELS,
              { threshold: null, suppressed, skewMs: h.skewMs },
            );
          }
          break;
        }
      }
    }
  }
  return out;
}
