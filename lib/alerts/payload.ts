import { createHmac, timingSafeEqual } from "node:crypto";

// What a contact point receives. The generic webhook is a superset of
// Alertmanager's webhook v4 body (version, groupKey, truncatedAlerts, status,
// receiver, groupLabels, commonLabels, commonAnnotations, externalURL, alerts[]
// with status, labels, annotations, startsAt, endsAt, generatorURL,
// fingerprint), so tools that read Alertmanager read it; Outpost adds the value,
// the effective threshold and its source, site, node, a link to the site page
// at the alert's time, and whether it was reported late. The Slack format is an
// incoming-webhook body ({text, blocks}).
//
// Every request is signed: `X-Outpost-Signature: t=<unix s>,v1=<hex HMAC-SHA256
// of "<t>.<body>" with the contact point's secret>`, plus `Idempotency-Key`.

export const SIGNATURE_HEADER = "x-outpost-signature";
export const TIMESTAMP_HEADER = "x-outpost-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Receivers should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_S = 300;

export interface NotificationAlert {
  status: "firing" | "resolved";
  fingerprint: string;
  /** fingerprint + transition number: receivers drop a second delivery of the same change */
  idempotencyKey: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
  startsAt: string;
  /** Alertmanager's zero time while firing */
  endsAt: string;
  generatorURL: string;
  value: number | null;
  unit: string | null;
  threshold: { celsius: number; source: string } | null;
  site: { id: string; slug: string; name: string; kind: string };
  cluster: string | null;
  node: string | null;
  severity: "warning" | "critical" | null;
  reportedLate: boolean;
  reportedLateMs: number | null;
  mutedBy: string | null;
}

export interface Notification {
  version: "4";
  groupKey: string;
  truncatedAlerts: number;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: NotificationAlert[];
  /** Outpost's own fields */
  idempotencyKey: string;
  reason: "first" | "changed" | "repeat" | "late" | "test";
  isTest: boolean;
  sentBy: "outpost";
}

export const ZERO_TIME = "0001-01-01T00:00:00Z";
/** Receivers get at most this many alerts per message (the rest counted in truncatedAlerts). */
export const MAX_ALERTS_PER_MESSAGE = 200;

function common<T extends Record<string, string>>(maps: readonly T[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

export function buildNotification(input: {
  groupKey: string;
  receiver: string;
  groupLabels: Record<string, string>;
  externalURL: string;
  idempotencyKey: string;
  reason: Notification["reason"];
  alerts: NotificationAlert[];
  isTest?: boolean;
}): Notification {
  // Firing first, then resolved; within each, the hottest first.
  const sorted = [...input.alerts].sort(
    (a, b) => (a.status === b.status ? 0 : a.status === "firing" ? -1 : 1) || (b.value ?? 0) - (a.value ?? 0),
  );
  const alerts = sorted.slice(0, MAX_ALERTS_PER_MESSAGE);
  return {
    version: "4",
    groupKey: input.groupKey,
    truncatedAlerts: sorted.length - alerts.length,
    status: sorted.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: input.receiver,
    groupLabels: input.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => ({ summary: a.annotations.summary }))),
    externalURL: input.externalURL,
    alerts,
    idempotencyKey: input.idempotencyKey,
    reason: input.reason,
    isTest: input.isTest ?? false,
    sentBy: "outpost",
  };
}

/** A Slack incoming-webhook body: one line per alert, links to the site page. */
export function toSlack(n: Notification): { text: string; blocks: unknown[] } {
  const head =
    n.reason === "test"
      ? "Test notification from Outpost"
      : `${n.status === "firing" ? "🔥 Firing" : "✅ Resolved"}${n.reason === "late" ? " (reported late)" : ""}: ${n.groupLabels.alertname ?? "alert"} at ${n.alerts[0]?.site.name ?? "?"}`;
  const lines = n.alerts.map(
    (a) =>
      `${a.status === "firing" ? "•" : "✓"} <${a.generatorURL}|${a.node ?? a.site.name}> ${a.annotations.summary}`,
  );
  if (n.truncatedAlerts > 0) lines.push(`…and ${n.truncatedAlerts} more`);
  const text = [head, ...lines].join("\n");
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${head}*` } },
      ...(lines.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } }] : []),
    ],
  };
}

export function sign(secret: string, body: string, timestampS: number): string {
  const mac = createHmac("sha256", secret).update(`${timestampS}.${body}`).digest("hex");
  return `t=${timestampS},v1=${mac}`;
}

/** What a receiver does (the demo sink and the tests): true when the signature is genuine and recent. */
export function verifySignature(secret: string, body: string, header: string | null, nowS: number): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isFinite(t) || !v1 || Math.abs(nowS - t) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(sign(secret, body, t).split("v1=")[1] ?? "", "hex");
  const given = Buffer.from(v1, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
