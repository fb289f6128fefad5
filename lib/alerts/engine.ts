import "server-only";
import { db } from "@/lib/db/client";
import { fleetHealth, intervalMs as pollIntervalMs, reachRecord, statusSelect } from "@/lib/fleet/health";
import type { Prisma } from "@/lib/generated/prisma/client";
import { clusterFreshness } from "@/lib/health/freshness";
import type { ClusterSummary } from "@/lib/health/types";
import { log } from "@/lib/log";
import { maintenanceForSites } from "@/lib/maintenance/store";
import { nodeIndex } from "@/lib/telemetry/data-sources";
import { thresholdChain } from "@/lib/thresholds/store";
import {
  type AlertThresholdSource,
  describeAlertSource,
  type EvaluationOutput,
  evaluateFleet,
  type HistoryEntry,
  type HostFacts,
  type InstanceRecord,
  lateAfterMs,
  type SiteFacts,
} from "./evaluate";
import { failpoint } from "./failpoints";
import { fingerprint, groupKey, instanceKey, notificationKey } from "./identity";
import {
  type EventWrite,
  type InstanceWrite,
  insertEvents,
  upsertGroups,
  upsertInstances,
} from "./instance-writes";
import { emptyGroup, type GroupAlert, type GroupState, type Mute, planFlush } from "./notify";
import { buildNotification, type NotificationAlert, ZERO_TIME } from "./payload";
import { RULE_KIND_LABELS, type Rule } from "./rules";
import { listRules, seedDefaultRules } from "./rules-store";
import { type Silence, silencedBy } from "./silences";
import { type InstanceState, isOpen } from "./state";
import { type BackfillRequest, readBackfill, readWindow, type SiteRef } from "./telemetry-window";

// One evaluation of the whole fleet: read the facts (registry + collector's
// last polls + one InfluxDB request per data source, and a bounded backfill for
// sites whose buffered data just arrived), run the pure evaluator, decide
// notifications, and write everything — instances, history, group memory,
// deliveries on the outbox — in ONE transaction fenced by the evaluator's lease.

export interface EngineDeps {
  /** the evaluation's writes in one transaction, refused if the lease was lost */
  transaction: <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>;
  /** puts a delivery on the outbox inside that same transaction */
  enqueueDelivery: (tx: Prisma.TransactionClient, deliveryId: string) => Promise<void>;
  /** after the transaction committed (wakes the dispatcher in this process) */
  afterCommit?: (deliveryIds: string[]) => void;
  /** links in notifications point here */
  externalUrl: string;
  intervalMs: number;
  /**
   * How far behind the clock the temperature window ends, so a point that reaches
   * InfluxDB a little after its event time (Telegraf flushes every 10 s) is still
   * inside a window that has not been read yet; 0 reads up to now.
   */
  ingestDelayMs?: number;
  /** backfills per evaluation (each is one statement in one request per source) */
  maxBackfillSites?: number;
}

export interface EvaluationSummary {
  at: number;
  sites: number;
  hosts: number;
  instances: number;
  changed: number;
  transitions: number;
  deliveries: string[];
  backfilled: string[];
  timings: { loadMs: number; queryMs: number; evaluateMs: number; notifyMs: number; writeMs: number };
}

const EVALUATOR_ROW = "evaluator";
/** After a restart, the missed time is evaluated as one window, at most this long. */
const MAX_CATCH_UP_MS = 60 * 60_000;

function parseState(text: string): InstanceState | null {
  try {
    return JSON.parse(text) as InstanceState;
  } catch {
    return null;
  }
}

interface StoredInstance {
  record: InstanceRecord;
  id: string;
  mutedBy: Mute | null;
}

export class AlertEngine {
  /** per site: event time its telemetry has been evaluated through (survives restarts via AlertSiteQuiet) */
  private dataThrough = new Map<string, number>();
  private quiet = new Set<string>();
  private lastEvaluatedAt: number | null = null;
  private isLoaded = false;

  constructor(private readonly deps: EngineDeps) {}

  private async load(): Promise<void> {
    const [state, quiet] = await Promise.all([
      db().alertEvaluatorState.findUnique({ where: { id: EVALUATOR_ROW } }),
      db().alertSiteQuiet.findMany(),
    ]);
    this.lastEvaluatedAt = state?.lastEvaluatedAt.getTime() ?? null;
    for (const q of quiet) {
      this.dataThrough.set(q.siteId, q.dataThrough.getTime());
      this.quiet.add(q.siteId);
    }
    this.isLoaded = true;
  }

  async evaluate(now = Date.now()): Promise<EvaluationSummary> {
    if (!this.isLoaded) await this.load();
    const { intervalMs } = this.deps;
    const t0 = performance.now();

    // --- facts ---------------------------------------------------------------
    const [rules, siteRows, chain, fleet, maintenance, silenceRows, stored, groupRows, index] =
      await Promise.all([
        listRules(),
        db().site.findMany({
          select: {
            id: true,
            slug: true,
            name: true,
            kind: true,
            labels: true,
            dataSourceId: true,
            clusters: {
              select: {
                id: true,
                name: true,
                status: { select: statusSelect },
              },
            },
          },
        }),
        thresholdChain(now),
        fleetHealth(now),
        maintenanceForSites(null, now),
        db().alertSilence.findMany({
          where: { startsAt: { lte: new Date(now) }, endsAt: { gt: new Date(now) } },
        }),
        db().alertInstance.findMany(),
        db().alertGroup.findMany(),
        nodeIndex(now),
      ]);
    const statusBySite = new Map(fleet.sites.map((s) => [s.siteId, s.status]));
    const pollMs = pollIntervalMs();
    const labelsOf = (text: string): Record<string, string> => {
      try {
        const v = JSON.parse(text) as unknown;
        return v && typeof v === "object" ? (v as Record<string, string>) : {};
      } catch {
        return {};
      }
    };
    const nodesByCluster = new Map<string, string[]>();
    for (const [host, home] of index) {
      const list = nodesByCluster.get(home.clusterId) ?? [];
      list.push(host);
      nodesByCluster.set(home.clusterId, list);
    }
    const sites: SiteFacts[] = siteRows.map((s) => {
      const status = statusBySite.get(s.id);
      return {
        id: s.id,
        slug: s.slug,
        name: s.name,
        kind: s.kind,
        labels: labelsOf(s.labels),
        isUnreachable: status === undefined ? null : status === "unreachable",
        isExpectedOffline: status === "expected-offline",
        clusters: s.clusters.map((c) => {
          const st = c.status;
          const freshness = clusterFreshness(reachRecord(st), now, pollMs);
          let summary: ClusterSummary | null = null;
          try {
            summary = st?.summary ? (JSON.parse(st.summary) as ClusterSummary) : null;
          } catch {
            summary = null;
          }
          const notReady = new Set((summary?.notReady ?? []).map((n) => n.name));
          const names = new Set([...(nodesByCluster.get(c.id) ?? []), ...notReady]);
          return {
            id: c.id,
            name: c.name,
            isReachable:
              freshness.state === "fresh" ? true : freshness.state === "unreachable" ? false : null,
            nodes: [...names].map((name) => ({ name, isReady: summary ? !notReady.has(name) : null })),
          };
        }),
      };
    });
    const siteById = new Map(sites.map((s) => [s.id, s]));
    const refs: SiteRef[] = siteRows.map((s) => ({
      id: s.id,
      slug: s.slug,
      name: s.name,
      dataSourceId: s.dataSourceId,
      clusters: s.clusters.map((c) => ({ id: c.id, name: c.name })),
    }));
    const refById = new Map(refs.map((r) => [r.id, r]));
    const tLoad = performance.now();

    // --- telemetry -----------------------------------------------------------
    // Windows are (from, to] in event time, `to` trailing the clock by the ingest delay:
    // the previous evaluation's `to` is this one's `from`.
    const delayMs = this.deps.ingestDelayMs ?? 0;
    const to = now - delayMs;
    const from =
      this.lastEvaluatedAt !== null && this.lastEvaluatedAt < now
        ? Math.max(this.lastEvaluatedAt, now - MAX_CATCH_UP_MS) - delayMs
        : to - intervalMs;
    const [window, misdated] = await Promise.all([
      readWindow(refs, from, to, now),
      // The telemetry tick also catches clocks that run behind (1970 boots, hours late): their points never count.
      db().telemetryNodeLatest.findMany({
        where: { skewMs: { not: null }, siteId: { not: null } },
        select: { siteId: true, host: true, skewMs: true },
      }),
    ]);
    const skewOf = new Map(misdated.map((m) => [`${m.siteId}/${m.host}`, m.skewMs]));
    const liveBySite = new Map<string, typeof window.hosts>();
    for (const h of window.hosts) {
      const list = liveBySite.get(h.siteId) ?? [];
      list.push(h);
      liveBySite.set(h.siteId, list);
    }
    // A site whose data resumes after a gap: its buffered points come first, in event time.
    const returning: BackfillRequest[] = [];
    const held = new Set<string>();
    for (const [siteId, hosts] of liveBySite) {
      const through = this.dataThrough.get(siteId);
      const hasData = hosts.some((h) => h.live.value !== null);
      if (!hasData || through === undefined || through >= from - lateAfterMs(intervalMs)) continue;
      const ref = refById.get(siteId);
      if (!ref) continue;
      if (returning.length < (this.deps.maxBackfillSites ?? 25))
        returning.push({ site: ref, fromMs: through });
      else held.add(siteId);
    }
    returning.sort((a, b) => a.fromMs - b.fromMs);
    const backfill = await readBackfill(returning, to, intervalMs);
    const tQuery = performance.now();

    // --- evaluate ------------------------------------------------------------
    const storedByKey = new Map<string, StoredInstance>();
    for (const row of stored) {
      const state = parseState(row.state);
      if (!state) continue;
      const key = instanceKey(row.ruleId, row.subject);
      storedByKey.set(key, {
        id: row.id,
        mutedBy: (row.mutedBy as Mute | null) ?? null,
        record: {
          key,
          ruleId: row.ruleId,
          subject: row.subject,
          siteId: row.siteId,
          clusterId: row.clusterId,
          node: row.node,
          state,
          threshold:
            row.thresholdCelsius !== null && row.thresholdSource
              ? {
                  celsius: row.thresholdCelsius,
                  source: JSON.parse(row.thresholdSource) as AlertThresholdSource,
                }
              : null,
          suppressed: row.suppressed === "site-unreachable" ? "site-unreachable" : null,
          skewMs: row.skewMs,
          firingLateMs: row.firingLateMs,
          lastEvaluatedAt: row.lastEvaluatedAt.getTime(),
        },
      });
    }
    const hosts: HostFacts[] = [];
    const seenHosts = new Set<string>();
    for (const h of window.hosts) {
      if (held.has(h.siteId)) continue;
      seenHosts.add(`${h.siteId}/${h.host}`);
      const late = backfill.get(h.siteId)?.get(h.host) ?? [];
      hosts.push({
        siteId: h.siteId,
        clusterId: h.clusterId,
        host: h.host,
        samples: [...late, h.live],
        lastPointAt: h.lastPointAt,
        skewMs: h.skewMs ?? skewOf.get(`${h.siteId}/${h.host}`) ?? null,
        isSourceOk: true,
      });
    }
    // Hosts an open instance is about but InfluxDB no longer lists: evaluated with no data.
    for (const s of storedByKey.values()) {
      const r = s.record;
      if (!r.node || seenHosts.has(`${r.siteId}/${r.node}`) || held.has(r.siteId)) continue;
      seenHosts.add(`${r.siteId}/${r.node}`);
      hosts.push({
        siteId: r.siteId,
        clusterId: r.clusterId,
        host: r.node,
        samples: [],
        lastPointAt: null,
        skewMs: null,
        isSourceOk: !window.unknownSites.has(r.siteId),
      });
    }
    const output: EvaluationOutput = evaluateFleet({
      now,
      intervalMs,
      rules,
      sites,
      hosts,
      chain,
      instances: new Map([...storedByKey].map(([k, v]) => [k, v.record])),
    });
    const tEval = performance.now();

    // --- notifications -------------------------------------------------------
    const silences: Silence[] = silenceRows.map((s) => ({
      id: s.id,
      matchers: JSON.parse(s.matchers) as Silence["matchers"],
      startsAt: s.startsAt.getTime(),
      endsAt: s.endsAt.getTime(),
      comment: s.comment,
      createdBy: s.createdByName,
    }));
    const ruleById = new Map(rules.map((r) => [r.id, r]));
    const all = new Map<string, InstanceRecord>();
    for (const [k, s] of storedByKey) all.set(k, s.record);
    for (const [k, r] of output.instances) all.set(k, r);
    const muteOf = (r: InstanceRecord): Mute | null => {
      const site = siteById.get(r.siteId);
      const rule = ruleById.get(r.ruleId);
      if (!site || !rule) return null;
      if (r.suppressed) return "site-unreachable";
      if (maintenance.has(site.id)) return "maintenance";
      if (site.isExpectedOffline) return "expected-offline";
      const target = {
        site: site.slug,
        kind: site.kind,
        node: r.node,
        cluster: site.clusters.find((c) => c.id === r.clusterId)?.name ?? null,
        rule: rule.id,
        alertKind: rule.kind,
        severity: r.state.severity,
        siteLabels: site.labels,
      };
      return silencedBy(silences, target, now) ? "silenced" : null;
    };
    const mutes = new Map<string, Mute | null>();
    for (const [k, r] of all) mutes.set(k, muteOf(r));

    const groups = new Map<string, { ruleId: string; siteId: string; members: InstanceRecord[] }>();
    for (const r of all.values()) {
      if (!ruleById.has(r.ruleId) || !siteById.has(r.siteId)) continue;
      const gk = groupKey(r.ruleId, r.siteId);
      const g = groups.get(gk) ?? { ruleId: r.ruleId, siteId: r.siteId, members: [] };
      g.members.push(r);
      groups.set(gk, g);
    }
    const storedGroups = new Map(
      groupRows.map((g) => [g.groupKey, { row: g, state: JSON.parse(g.state) as GroupState }]),
    );
    for (const [gk, g] of storedGroups) {
      if (!groups.has(gk) && ruleById.has(g.row.ruleId) && siteById.has(g.row.siteId))
        groups.set(gk, { ruleId: g.row.ruleId, siteId: g.row.siteId, members: [] });
    }
    const contactPoints = await db().alertContactPoint.findMany({ where: { isEnabled: true } });
    const cpById = new Map(contactPoints.map((c) => [c.id, c]));
    const groupWrites: { groupKey: string; ruleId: string; siteId: string; state: GroupState }[] = [];
    const deliveries: Prisma.AlertDeliveryCreateManyInput[] = [];
    for (const [gk, g] of groups) {
      const rule = ruleById.get(g.ruleId);
      const site = siteById.get(g.siteId);
      if (!rule || !site) continue;
      const prev = storedGroups.get(gk)?.state ?? emptyGroup();
      const alerts: GroupAlert[] = g.members.map((r) => ({
        fingerprint: fingerprint(r.ruleId, r.subject),
        seq: r.state.seq,
        isOpen: isOpen(r.state.phase),
        firingSince: r.state.firingSince,
        severity: r.state.severity,
        mutedBy: mutes.get(r.key) ?? null,
        isLate: r.firingLateMs !== null,
      }));
      const { flush, next } = planFlush(prev, alerts, now, {
        groupWaitMs: rule.groupWaitSeconds * 1000,
        groupIntervalMs: rule.groupIntervalSeconds * 1000,
        repeatIntervalMs: rule.repeatIntervalSeconds * 1000,
      });
      if (JSON.stringify(next) !== JSON.stringify(prev))
        groupWrites.push({ groupKey: gk, ruleId: g.ruleId, siteId: g.siteId, state: next });
      if (!flush) continue;
      const byFp = new Map(g.members.map((r) => [fingerprint(r.ruleId, r.subject), r]));
      const toAlert = (
        fp: string,
        status: "firing" | "resolved",
        startedAt: number | null,
      ): NotificationAlert => {
        const r = byFp.get(fp) ?? null;
        const muted = r ? (mutes.get(r.key) ?? null) : null;
        return notificationAlert(rule, site, r, fp, status, muted, startedAt, now, this.deps.externalUrl);
      };
      const items = [
        ...flush.firing.map((a) => toAlert(a.fingerprint, "firing", a.firingSince)),
        ...flush.resolved.map((x) => toAlert(x.fingerprint, "resolved", x.notified.firingSince)),
      ];
      for (const cpId of rule.contactPointIds) {
        const cp = cpById.get(cpId);
        if (!cp) continue;
        const key = notificationKey(
          cp.id,
          gk,
          items.map((i) => ({
            fingerprint: i.fingerprint,
            seq: Number(i.idempotencyKey.split(":")[1]),
            status: i.status,
          })),
          next.flushes,
        );
        const body = buildNotification({
          groupKey: gk,
          receiver: cp.name,
          groupLabels: { alertname: rule.name, rule: rule.id, site: site.slug },
          externalURL: this.deps.externalUrl,
          idempotencyKey: key,
          reason: flush.reason,
          alerts: items,
        });
        deliveries.push({
          id: key,
          contactPointId: cp.id,
          groupKey: gk,
          ruleId: rule.id,
          siteId: site.id,
          reason: flush.reason,
          status: body.status,
          alertCount: body.alerts.length,
          payload: JSON.stringify(body),
        });
      }
    }

    // --- write (one fenced transaction) ---------------------------------------
    const changedKeys = new Set(output.changed);
    for (const [k, r] of output.instances) {
      const before = storedByKey.get(k);
      if (before && before.mutedBy !== (mutes.get(k) ?? null)) changedKeys.add(k);
      if (before && isOpen(r.state.phase) && r.state.value !== before.record.state.value) changedKeys.add(k);
    }
    const hadData = new Map<string, boolean>();
    for (const h of window.hosts)
      hadData.set(h.siteId, (hadData.get(h.siteId) ?? false) || h.live.value !== null);
    const quietWrites: { siteId: string; dataThrough: number }[] = [];
    const quietDeletes: string[] = [];
    for (const site of sites) {
      if (held.has(site.id) || window.unknownSites.has(site.id)) continue;
      if (hadData.get(site.id)) {
        this.dataThrough.set(site.id, to);
        if (this.quiet.has(site.id)) quietDeletes.push(site.id);
      } else if (this.dataThrough.has(site.id) && !this.quiet.has(site.id)) {
        quietWrites.push({ siteId: site.id, dataThrough: this.dataThrough.get(site.id) ?? now });
      }
    }
    const tWrite0 = performance.now();
    if (deliveries.length > 0) failpoint("alerts.evaluate.before-write");
    await this.deps.transaction(async (tx) => {
      if (deliveries.length > 0) failpoint("alerts.evaluate.in-write");
      if (this.lastEvaluatedAt === null) await seedDefaultRules(tx);
      const writes: InstanceWrite[] = [];
      for (const k of changedKeys) {
        const r = output.instances.get(k);
        if (r) writes.push(instanceWrite(r, storedByKey.get(k)?.id ?? null, mutes.get(k) ?? null, now));
      }
      const ids = await upsertInstances(tx, writes, new Date(now));
      for (const [k, s] of storedByKey) if (!ids.has(k)) ids.set(k, s.id);
      await insertEvents(
        tx,
        output.history.flatMap((h) => {
          const instanceId = ids.get(h.key);
          return instanceId ? [eventData(h, instanceId, mutes.get(h.key) ?? null)] : [];
        }),
        new Date(now),
      );
      await upsertGroups(
        tx,
        groupWrites.map((g) => ({ ...g, state: JSON.stringify(g.state) })),
        new Date(now),
      );
      if (deliveries.length > 0) {
        await tx.alertDelivery.createMany({ data: deliveries });
        for (const d of deliveries) await this.deps.enqueueDelivery(tx, d.id);
      }
      for (const q of quietWrites)
        await tx.alertSiteQuiet.upsert({
          where: { siteId: q.siteId },
          create: { siteId: q.siteId, dataThrough: new Date(q.dataThrough) },
          update: { dataThrough: new Date(q.dataThrough) },
        });
      if (quietDeletes.length > 0)
        await tx.alertSiteQuiet.deleteMany({ where: { siteId: { in: quietDeletes } } });
      await tx.alertEvaluatorState.upsert({
        where: { id: EVALUATOR_ROW },
        create: { id: EVALUATOR_ROW, lastEvaluatedAt: new Date(now) },
        update: { lastEvaluatedAt: new Date(now) },
      });
    });
    for (const q of quietWrites) this.quiet.add(q.siteId);
    for (const id of quietDeletes) this.quiet.delete(id);
    this.lastEvaluatedAt = now;
    const tWrite = performance.now();
    if (deliveries.length > 0) {
      failpoint("alerts.evaluate.after-commit");
      this.deps.afterCommit?.(deliveries.map((d) => d.id));
    }
    if (output.history.length > 0)
      log.info("alerts evaluated", { transitions: output.history.length, deliveries: deliveries.length });
    return {
      at: now,
      sites: sites.length,
      hosts: hosts.length,
      instances: output.instances.size,
      changed: changedKeys.size,
      transitions: output.history.length,
      deliveries: deliveries.map((d) => d.id),
      backfilled: returning.map((r) => r.site.id),
      timings: {
        loadMs: tLoad - t0,
        queryMs: tQuery - tLoad,
        evaluateMs: tEval - tQuery,
        notifyMs: tWrite0 - tEval,
        writeMs: tWrite - tWrite0,
      },
    };
  }
}

function instanceWrite(
  r: InstanceRecord,
  id: string | null,
  mutedBy: Mute | null,
  now: number,
): InstanceWrite {
  const s = r.state;
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    id,
    ruleId: r.ruleId,
    subject: r.subject,
    siteId: r.siteId,
    fingerprint: fingerprint(r.ruleId, r.subject),
    clusterId: r.clusterId,
    node: r.node,
    phase: s.phase,
    severity: s.severity,
    state: JSON.stringify(s),
    value: s.value,
    valueAt: date(s.valueAt),
    thresholdCelsius: r.threshold?.celsius ?? null,
    thresholdSource: r.threshold ? JSON.stringify(r.threshold.source) : null,
    suppressed: r.suppressed,
    mutedBy,
    skewMs: r.skewMs === null ? null : Math.round(r.skewMs),
    firingLateMs: r.firingLateMs === null ? null : Math.round(r.firingLateMs),
    activeSince: date(s.activeSince),
    firingSince: date(s.firingSince),
    lastEvaluatedAt: new Date(now),
  };
}

function eventData(h: HistoryEntry, instanceId: string, mutedBy: Mute | null): EventWrite {
  const t = h.transition;
  return {
    instanceId,
    ruleId: h.ruleId,
    siteId: h.siteId,
    kind: t.kind,
    fromPhase: t.from,
    toPhase: t.to,
    at: new Date(t.at),
    value: t.value,
    level: t.level,
    severity: t.severity,
    seq: t.seq,
    reportedLateMs: Math.round(h.reportedLateMs),
    mutedBy,
  };
}

function formatC(v: number): string {
  return `${(Math.round(v * 10) / 10).toFixed(1)} °C`;
}

/** One alert as receivers read it. */
function notificationAlert(
  rule: Rule,
  site: SiteFacts,
  r: InstanceRecord | null,
  fp: string,
  status: "firing" | "resolved",
  mutedBy: Mute | null,
  startedAt: number | null,
  now: number,
  externalUrl: string,
): NotificationAlert {
  const s = r?.state ?? null;
  const cluster = site.clusters.find((c) => c.id === r?.clusterId)?.name ?? null;
  const subject = r?.node ?? site.name;
  const source = r?.threshold ? describeAlertSource(r.threshold.source) : null;
  let summary: string;
  if (rule.kind === "temperature" && s?.value !== null && s?.value !== undefined && r?.threshold) {
    summary =
      status === "firing"
        ? `${subject} at ${formatC(s.value)} (above ${formatC(r.threshold.celsius)}, ${source})`
        : `${subject} back to ${formatC(s.value)} (clear at ${formatC(r.threshold.celsius - rule.clearMargin)})`;
  } else {
    summary = `${RULE_KIND_LABELS[rule.kind]}: ${subject}${status === "resolved" ? " (resolved)" : ""}`;
  }
  const at = startedAt ?? s?.resolvedAt ?? now;
  const lateMs = r?.firingLateMs ?? null;
  return {
    status,
    fingerprint: fp,
    idempotencyKey: `${fp}:${s?.seq ?? 0}`,
    labels: {
      alertname: rule.name,
      rule: rule.id,
      kind: rule.kind,
      severity: s?.severity ?? "warning",
      site: site.slug,
      siteKind: site.kind,
      ...(cluster ? { cluster } : {}),
      ...(r?.node ? { node: r.node } : {}),
    },
    annotations: {
      summary,
      description: `${RULE_KIND_LABELS[rule.kind]} at ${site.name}${cluster ? `, cluster ${cluster}` : ""}`,
    },
    startsAt: new Date(startedAt ?? s?.activeSince ?? now).toISOString(),
    endsAt: status === "resolved" ? new Date(s?.resolvedAt ?? now).toISOString() : ZERO_TIME,
    generatorURL: `${externalUrl.replace(/\/$/, "")}/sites/${encodeURIComponent(site.slug)}?at=${at}`,
    value: s?.value ?? null,
    unit: rule.kind === "temperature" ? "°C" : null,
    threshold: r?.threshold && source ? { celsius: r.threshold.celsius, source } : null,
    site: { id: site.id, slug: site.slug, name: site.name, kind: site.kind },
    cluster,
    node: r?.node ?? null,
    severity: s?.severity ?? null,
    reportedLate: lateMs !== null,
    reportedLateMs: lateMs,
    mutedBy,
  };
}
