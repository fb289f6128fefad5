// Deterministic formatting (UTC, fixed locale) so server and browser render the
// same text and a control room reads one clock. Ages and counts come from
// lib/health/format.ts, so a page never says "12 min ago" beside "12 m ago".
import { formatAgo as formatAgoMs, plural } from "@/lib/health/format";

const DAY_MS = 86_400_000;

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "—";
  return d.toISOString().slice(0, 10);
}

export function daysUntil(iso: string, now = Date.now()): number {
  return Math.floor((new Date(iso).getTime() - now) / DAY_MS);
}

/** "12 m ago" from an ISO time: the same words as every health sentence (lib/health/format.ts). */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return "—";
  return formatAgoMs(ms);
}

export { plural };

export const numberFormat = new Intl.NumberFormat("en-US");
