import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/session";
import { db, transaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type AlertThresholdSource, describeAlertSource } from "./evaluate";
import { RULE_KIND_LABELS, RULE_KINDS, type RuleKind } from "./rules";

// What the pages read: open alerts first (firing and pending), then muted and
// suppressed ones, then the recent history; the counts the fleet page shows.

export const ALERT_STATES = ["firing", "pending", "clearing", "muted", "suppressed"] as const;
export type AlertStateFilter = (typeof ALERT_STATES)[number];

export const alertListQuerySchema = z.object({
  /** comma-separated: firing, pending, clearing, muted, suppressed */
  state: z
    .string()
    .max(100)
    .optional()
    .transform((v) => (v ? v.split(",").filter(Boolean) : []))
    .pipe(z.array(z.enum(ALERT_STATES))),
  severity: z.enum(["warning", "critical"]).optional(),
  kind: z.enum(RULE_KINDS).optional(),
  /** site id or slug */
  site: z.string().min(1).max(64).optional(),
  q: z.string().trim().max(100).optional(),
  historyLimit: z.coerce.number().int().min(0).max(500).default(50),
});
export type AlertListQuery = z.output<typeof alertListQuerySchema>;

export interface AlertRow {
  id: string;
  fingerprint: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  kindLabel: string;
  phase: "pending" | "firing" | "clearing" | "normal";
  severity: "warning" | "critical" | null;
  site: { id: string; slug: string; name: string; kind: string };
  clusterId: string | null;
  node: string | null;
  value: number | null;
  valueAt: string | null;
  threshold: { celsius: number; source: string } | null;
  /** when the condition began (pending) and when it started firing */
  activeSince: string | null;
  firingSince: string | null;
  lastEvaluatedAt: string;
  suppressed: string | null;
  mutedBy: string | null;
  skewMs: number | null;
  reportedLateMs: number | null;
  ack: { by: string; at: string; comment: string | null } | null;
}

export interface AlertEventRow {
  id: string;
  instanceId: string;
  ruleName: string;
  kind: string;
  site: { id: string; slug: string; name: string };
  node: string | null;
  transition: string;
  from: string;
  to: string;
  at: string;
  recordedAt: string;
  value: number | null;
  level: number | null;
  severity: string | null;
  reportedLateMs: number;
  mutedBy: string | null;
  actorName: string | null;
}

export interface AlertCounts {
  firing: number;
  pending: number;
  critical: number;
  muted: number;
  suppressed: number;
}

export interface AlertList {
  generatedAt: string;
  counts: AlertCounts;
  items: AlertRow[];
  history: AlertEventRow[];
}

const ORDER: Record<string, number> = { firing: 0, clearing: 1, pending: 2, normal: 3 };

function rowState(r: { mutedBy: string | null; suppressed: string | null }): "suppressed" | "muted" | null {
  if (r.suppressed) return "suppressed";
  if (r.mutedBy) return "muted";
  return null;
}

export async function listAlerts(query: AlertListQuery, now = Date.now()): Promise<AlertList> {
  let siteId: string | undefined;
  if (query.site) {
    const site = await db().site.findFirst({
      where: { OR: [{ id: query.site }, { slug: query.site }] },
      select: { id: true },
    });
    // A filter naming no site matches nothing (typing a slug is not an error).
    siteId = site?.id ?? "-";
  }
  const where: Prisma.AlertInstanceWhereInput = {
    phase: { in: ["pending", "firing", "clearing"] },
    ...(siteId ? { siteId } : {}),
    ...(query.severity ? { severity: query.severity } : {}),
    ...(query.kind ? { rule: { kind: query.kind } } : {}),
  };
  const [rows, events] = await Promise.all([
    db().alertInstance.findMany({
      where,
      include: {
        rule: { select: { name: true, kind: true } },
        site: { select: { id: true, slug: true, name: true, kind: true } },
      },
    }),
    query.historyLimit === 0
      ? Promise.resolve([])
      : db().alertEvent.findMany({
          where: {
            ...(siteId ? { siteId } : {}),
            kind: { in: ["firing", "escalated", "resolved", "acknowledged"] },
          },
          orderBy: { at: "desc" },
          take: query.historyLimit,
          include: {
            site: { select: { id: true, slug: true, name: true } },
            instance: { select: { node: true, rule: { select: { name: true, kind: true } } } },
          },
        }),
  ]);
  const text = query.q?.toLowerCase();
  const counts: AlertCounts = { firing: 0, pending: 0, critical: 0, muted: 0, suppressed: 0 };
  const items: AlertRow[] = [];
  for (const r of rows) {
    const extra = rowState(r);
    if (extra === "suppressed") counts.suppressed++;
    else if (extra === "muted") counts.muted++;
    else if (r.phase === "pending") counts.pending++;
    else counts.firing++;
    if (r.severity === "critical" && r.phase !== "pending" && !extra) counts.critical++;
    const stateOf: AlertStateFilter = extra ?? (r.phase as AlertStateFilter);
    if (query.state.length > 0 && !query.state.includes(stateOf)) continue;
    if (
      text &&
      ![r.site.name, r.site.slug, r.node ?? "", r.rule.name].some((s) => s.toLowerCase().includes(text))
    )
      continue;
    const source = r.thresholdSource ? (JSON.parse(r.thresholdSource) as AlertThresholdSource) : null;
    const kind = r.rule.kind as RuleKind;
    items.push({
      id: r.id,
      fingerprint: r.fingerprint,
      ruleId: r.ruleId,
      ruleName: r.rule.name,
      kind,
      kindLabel: RULE_KIND_LABELS[kind] ?? r.rule.kind,
      phase: r.phase as AlertRow["phase"],
      severity: (r.severity as AlertRow["severity"]) ?? null,
      site: r.site,
      clusterId: r.clusterId,
      node: r.node,
      value: r.value,
      valueAt: r.valueAt?.toISOString() ?? null,
      threshold:
        r.thresholdCelsius !== null && source
          ? { celsius: r.thresholdCelsius, source: describeAlertSource(source) }
          : null,
      activeSince: r.activeSince?.toISOString() ?? null,
      firingSince: r.firingSince?.toISOString() ?? null,
      lastEvaluatedAt: r.lastEvaluatedAt.toISOString(),
      suppressed: r.suppressed,
      mutedBy: r.mutedBy,
      skewMs: r.skewMs,
      reportedLateMs: r.firingLateMs,
      ack:
        r.ackByName && r.ackAt ? { by: r.ackByName, at: r.ackAt.toISOString(), comment: r.ackComment } : null,
    });
  }
  // Firing and pending first (unmuted), then muted and suppressed; critical before warning; oldest first.
  items.sort((a, b) => {
    const ma = a.suppressed || a.mutedBy ? 1 : 0;
    const mb = b.suppressed || b.mutedBy ? 1 : 0;
    return (
      ma - mb ||
      (ORDER[a.phase] ?? 9) - (ORDER[b.phase] ?? 9) ||
      (a.severity === "critical" ? 0 : 1) - (b.severity === "critical" ? 0 : 1) ||
      (a.firingSince ?? a.activeSince ?? "").localeCompare(b.firingSince ?? b.activeSince ?? "") ||
      a.site.name.localeCompare(b.site.name) ||
      (a.node ?? "").localeCompare(b.node ?? "", "en", { numeric: true })
    );
  });
  return {
    generatedAt: new Date(now).toISOString(),
    counts,
    items,
    history: events.map((e) => ({
      id: e.id,
      instanceId: e.instanceId,
      ruleName: e.instance.rule.name,
      kind: e.instance.rule.kind,
      site: e.site,
      node: e.instance.node,
      transition: e.kind,
      from: e.fromPhase,
      to: e.toPhase,
      at: e.at.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      value: e.value,
      level: e.level,
      severity: e.severity,
      reportedLateMs: e.reportedLateMs,
      mutedBy: e.mutedBy,
      actorName: e.actorName,
    })),
  };
}

/** The fleet page's numbers: firing alerts (unmuted), and how many are muted or suppressed. One grouped query. */
export async function alertCounts(now = Date.now()): Promise<AlertCounts & { generatedAt: string }> {
  const groups = await db().alertInstance.groupBy({
    by: ["phase", "severity", "mutedBy", "suppressed"],
    where: { phase: { in: ["pending", "firing", "clearing"] } },
    _count: { _all: true },
  });
  const counts: AlertCounts = { firing: 0, pending: 0, critical: 0, muted: 0, suppressed: 0 };
  for (const g of groups) {
    const n = g._count._all;
    if (g.suppressed) counts.suppressed += n;
    else if (g.mutedBy) counts.muted += n;
    else if (g.phase === "pending") counts.pending += n;
    else {
      counts.firing += n;
      if (g.severity === "critical") counts.critical += n;
    }
  }
  return { ...counts, generatedAt: new Date(now).toISOString() };
}

/** Acknowledging: "someone is on it" — recorded with who and when, kept in history. */
export async function acknowledgeAlert(id: string, actor: Pick<Actor, "username">, comment: string | null) {
  const row = await db().alertInstance.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found", "Alert not found");
  if (row.phase !== "firing" && row.phase !== "clearing")
    throw new AppError("conflict", "Only a firing alert can be acknowledged");
  const at = new Date();
  return transaction(async (tx) => {
    const updated = await tx.alertInstance.update({
      where: { id },
      data: { ackByName: actor.username, ackAt: at, ackComment: comment },
    });
    await tx.alertEvent.create({
      data: {
        instanceId: id,
        ruleId: row.ruleId,
        siteId: row.siteId,
        kind: "acknowledged",
        fromPhase: row.phase,
        toPhase: row.phase,
        at,
        value: row.value,
        level: row.thresholdCelsius,
        severity: row.severity,
        seq: JSON.parse(row.state).seq ?? 0,
        actorName: actor.username,
      },
    });
    return { id: updated.id, ackBy: actor.username, ackAt: at.toISOString(), comment };
  });
}
