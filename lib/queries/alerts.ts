import type { AlertList, AlertRow } from "@/lib/alerts/alerts-store";
import type { ContactPointInput } from "@/lib/alerts/contact-point-schemas";
import type { ContactPointView } from "@/lib/alerts/contact-points";
import type { DeliveryView } from "@/lib/alerts/deliveries-store";
import type { RulePreview } from "@/lib/alerts/preview-store";
import type { RuleInput } from "@/lib/alerts/rules";
import type { RuleView } from "@/lib/alerts/rules-store";
import type { SilenceInput } from "@/lib/alerts/silences";
import type { SilenceView } from "@/lib/alerts/silences-store";
import { apiFetch } from "./api";

export type { AlertList, AlertRow, ContactPointView, DeliveryView, RulePreview, RuleView, SilenceView };

/** The evaluator runs every 15 s by default; the list follows it closely. */
export const ALERTS_POLL_MS = 5_000;
export const ALERT_SETTINGS_POLL_MS = 30_000;
export const DELIVERIES_POLL_MS = 5_000;

export interface AlertFilters {
  state: string[];
  severity: "" | "warning" | "critical";
  kind: string;
  site: string;
  q: string;
}

export const EMPTY_ALERT_FILTERS: AlertFilters = { state: [], severity: "", kind: "", site: "", q: "" };

export function alertFilterParams(f: AlertFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.state.length > 0) p.set("state", f.state.join(","));
  if (f.severity) p.set("severity", f.severity);
  if (f.kind) p.set("kind", f.kind);
  if (f.site) p.set("site", f.site);
  if (f.q.trim()) p.set("q", f.q.trim());
  return p;
}

export function parseAlertFilters(get: (k: string) => string | undefined): AlertFilters {
  const severity = get("severity");
  return {
    state: (get("state") ?? "")
      .split(",")
      .filter((s) => ["firing", "pending", "clearing", "muted", "suppressed"].includes(s)),
    severity: severity === "warning" || severity === "critical" ? severity : "",
    kind: get("kind") ?? "",
    site: get("site") ?? "",
    q: get("q") ?? "",
  };
}

export const alertKeys = {
  all: ["alerts"] as const,
  list: (f: AlertFilters) => [...alertKeys.all, "list", alertFilterParams(f).toString()] as const,
  site: (idOrSlug: string) => [...alertKeys.all, "site", idOrSlug] as const,
  counts: () => [...alertKeys.all, "counts"] as const,
  rules: () => [...alertKeys.all, "rules"] as const,
  silences: () => [...alertKeys.all, "silences"] as const,
  contactPoints: () => [...alertKeys.all, "contact-points"] as const,
  deliveries: (contactPointId: string | null) =>
    [...alertKeys.all, "deliveries", contactPointId ?? ""] as const,
  received: (contactPointId: string) => [...alertKeys.all, "received", contactPointId] as const,
};

export function fetchAlerts(f: AlertFilters, signal?: AbortSignal): Promise<AlertList> {
  const p = alertFilterParams(f);
  return apiFetch<AlertList>(`/api/alerts${p.size > 0 ? `?${p}` : ""}`, { signal });
}

export function fetchSiteAlerts(site: string, signal?: AbortSignal): Promise<AlertList> {
  return apiFetch<AlertList>(`/api/alerts?site=${encodeURIComponent(site)}&historyLimit=10`, { signal });
}

export type AlertCountsView = AlertList["counts"] & { generatedAt: string };

export function fetchAlertCounts(signal?: AbortSignal): Promise<AlertCountsView> {
  return apiFetch<AlertCountsView>("/api/alerts/counts", { signal });
}

export function acknowledgeAlert(id: string, comment?: string) {
  return apiFetch(`/api/alerts/${encodeURIComponent(id)}/ack`, {
    method: "POST",
    body: comment ? { comment } : {},
  });
}

export function fetchRules(signal?: AbortSignal): Promise<{ rules: RuleView[] }> {
  return apiFetch("/api/alerts/rules", { signal });
}

export function createRule(input: RuleInput): Promise<{ rule: RuleView }> {
  return apiFetch("/api/alerts/rules", { method: "POST", body: input });
}

export function updateRule(id: string, input: RuleInput): Promise<{ rule: RuleView }> {
  return apiFetch(`/api/alerts/rules/${encodeURIComponent(id)}`, { method: "PUT", body: input });
}

export function deleteRule(id: string) {
  return apiFetch(`/api/alerts/rules/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function previewRule(input: RuleInput): Promise<{ preview: RulePreview }> {
  return apiFetch("/api/alerts/rules/preview", { method: "POST", body: input });
}

export function fetchSilences(signal?: AbortSignal): Promise<{ silences: SilenceView[] }> {
  return apiFetch("/api/alerts/silences", { signal });
}

export function createSilence(input: SilenceInput): Promise<{ silence: SilenceView }> {
  return apiFetch("/api/alerts/silences", { method: "POST", body: input });
}

export function expireSilence(id: string) {
  return apiFetch(`/api/alerts/silences/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function fetchContactPoints(signal?: AbortSignal): Promise<{ contactPoints: ContactPointView[] }> {
  return apiFetch("/api/alerts/contact-points", { signal });
}

export function createContactPoint(
  input: ContactPointInput,
): Promise<{ contactPoint: ContactPointView; secret: string }> {
  return apiFetch("/api/alerts/contact-points", { method: "POST", body: input });
}

export function deleteContactPoint(id: string) {
  return apiFetch(`/api/alerts/contact-points/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function testContactPoint(id: string): Promise<{
  deliveryId: string;
  outcome: { isOk: boolean; statusCode: number | null; latencyMs: number; error: string | null };
}> {
  return apiFetch(`/api/alerts/contact-points/${encodeURIComponent(id)}/test`, { method: "POST" });
}

export interface ReceivedMessage {
  receivedAt: string;
  isSignatureValid: boolean;
  isDuplicate: boolean;
  idempotencyKey: string | null;
  status: string | null;
  summary: string;
}

export function fetchReceived(
  id: string,
  signal?: AbortSignal,
): Promise<{ received: { messages: ReceivedMessage[] } }> {
  return apiFetch(`/api/alerts/contact-points/${encodeURIComponent(id)}/received`, { signal });
}

export function fetchDeliveries(
  contactPointId: string | null,
  signal?: AbortSignal,
): Promise<{ deliveries: DeliveryView[] }> {
  return apiFetch(
    `/api/alerts/deliveries${contactPointId ? `?contactPoint=${encodeURIComponent(contactPointId)}` : ""}`,
    {
      signal,
    },
  );
}
