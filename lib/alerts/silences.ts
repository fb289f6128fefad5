import { z } from "zod";
import { checkWindowEnd } from "@/lib/maintenance/schemas";

// Silences: an operator mutes the notifications of every alert matching all
// of a silence's matchers until it expires (the alerts stay visible). Pure:
// `now` is a parameter. No server imports (the editor validates with it too).

export const MATCHER_NAMES = ["site", "kind", "node", "cluster", "rule", "alertKind", "severity"] as const;

const LABEL_MATCHER = /^label:[A-Za-z0-9]([-A-Za-z0-9_./]{0,250}[A-Za-z0-9])?$/;

export const matcherSchema = z.object({
  /** site (slug), kind (site kind), node, cluster, rule (id), alertKind, severity, or label:<site label key> */
  name: z
    .string()
    .refine(
      (n) => (MATCHER_NAMES as readonly string[]).includes(n) || LABEL_MATCHER.test(n),
      `one of ${MATCHER_NAMES.join(", ")} or label:<key>`,
    ),
  op: z.enum(["=", "!="]).default("="),
  value: z.string().min(1, "is required").max(253, "at most 253 characters"),
});
export type Matcher = z.output<typeof matcherSchema>;

const MAX_SILENCE_MS = 90 * 86_400_000;

export const silenceInputSchema = z
  .object({
    matchers: z.array(matcherSchema).min(1, "at least one matcher").max(16, "at most 16 matchers"),
    startsAt: z.iso.datetime({ offset: true, message: "an ISO date and time" }).optional(),
    endsAt: z.iso.datetime({ offset: true, message: "an ISO date and time" }).optional(),
    durationMinutes: z
      .number({ message: "a number of minutes" })
      .int("whole minutes")
      .min(1, "at least 1 minute")
      .max(MAX_SILENCE_MS / 60_000, "at most 90 days")
      .optional(),
    comment: z.string().trim().min(1, "say why (shown with the silence)").max(500, "at most 500 characters"),
  })
  .superRefine(checkWindowEnd(MAX_SILENCE_MS, "90 days"));
export type SilenceInput = z.input<typeof silenceInputSchema>;

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
}

/** What a silence can match on. */
export interface MatchTarget {
  site: string;
  kind: string;
  node: string | null;
  cluster: string | null;
  rule: string;
  alertKind: string;
  severity: string | null;
  siteLabels: Record<string, string>;
}

function fieldOf(t: MatchTarget, name: string): string | null {
  if (name.startsWith("label:")) return t.siteLabels[name.slice("label:".length)] ?? null;
  switch (name) {
    case "site":
      return t.site;
    case "kind":
      return t.kind;
    case "node":
      return t.node;
    case "cluster":
      return t.cluster;
    case "rule":
      return t.rule;
    case "alertKind":
      return t.alertKind;
    case "severity":
      return t.severity;
    default:
      return null;
  }
}

export function matchesAll(matchers: readonly Matcher[], t: MatchTarget): boolean {
  return matchers.every((m) => {
    const v = fieldOf(t, m.name);
    return m.op === "=" ? v === m.value : v !== m.value;
  });
}

export function isSilenceActive(s: Silence, now: number): boolean {
  return s.startsAt <= now && now < s.endsAt;
}

/** The active silence muting this alert, if any (the one lasting longest). */
export function silencedBy(silences: readonly Silence[], t: MatchTarget, now: number): Silence | null {
  let best: Silence | null = null;
  for (const s of silences) {
    if (!isSilenceActive(s, now) || !matchesAll(s.matchers, t)) continue;
    if (!best || s.endsAt > best.endsAt) best = s;
  }
  return best;
}
