import { createHash } from "node:crypto";

// Who an alert instance is about, and the names receivers see: the subject
// key (one instance per rule and subject), Alertmanager-style labels, the
// fingerprint, and the group key notifications are batched by.

/** One instance per (rule, node) or (rule, site). */
export function nodeSubject(siteId: string, node: string): string {
  return `node:${siteId}/${node}`;
}

export function siteSubject(siteId: string): string {
  return `site:${siteId}`;
}

export function instanceKey(ruleId: string, subject: string): string {
  return `${ruleId}|${subject}`;
}

/** Stable across restarts and renames: rule id + subject. */
export function fingerprint(ruleId: string, subject: string): string {
  return createHash("sha256").update(`${ruleId}\u0000${subject}`).digest("hex").slice(0, 16);
}

export interface AlertLabels {
  alertname: string;
  rule: string;
  kind: string;
  severity: string;
  site: string;
  siteKind: string;
  cluster?: string;
  node?: string;
}

/** Group by rule and site (Alertmanager's group_by: [rule, site]). */
export function groupKey(ruleId: string, siteId: string): string {
  return `{}:{rule="${ruleId}", site="${siteId}"}`;
}

/** One delivery's idempotency key: the group, and each alert's fingerprint with its transition number. */
export function notificationKey(
  contactPointId: string,
  group: string,
  alerts: readonly { fingerprint: string; seq: number; status: string }[],
  repeat: number,
): string {
  const parts = alerts.map((a) => `${a.fingerprint}:${a.seq}:${a.status}`).sort();
  return createHash("sha256")
    .update(`${contactPointId}\u0000${group}\u0000${parts.join(",")}\u0000${repeat}`)
    .digest("hex")
    .slice(0, 32);
}
