import { z } from "zod";
import { labelsSchema, SITE_KINDS } from "@/lib/fleet/schemas";

// Alert rules: what raises an alert, with which periods, where it is sent.
// Shared by the routes, the rule editor and the evaluator. No server imports.

export const RULE_KINDS = ["temperature", "site-unreachable", "node-not-ready", "sensor-silent"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  temperature: "Temperature",
  "site-unreachable": "Site unreachable",
  "node-not-ready": "Node NotReady",
  "sensor-silent": "Sensor silent",
};

/** Rules about one node; the site-unreachable rule stands for the whole site and suppresses these while it is dark. */
export function isNodeRule(kind: RuleKind): boolean {
  return kind !== "site-unreachable";
}

export const DEFAULTS = {
  clearMargin: 3,
  forSeconds: 120,
  clearForSeconds: 300,
  noDataSeconds: 300,
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
} as const;

const DAY_S = 86_400;

const seconds = (max: number, maxText: string) =>
  z
    .number({ message: "a number of seconds" })
    .int("whole seconds")
    .min(0, "cannot be negative")
    .max(max, `at most ${maxText}`);

const celsius = z
  .number({ message: "a temperature in °C" })
  .min(-40, "at least -40 °C")
  .max(150, "at most 150 °C");

export const ruleScopeSchema = z.object({
  /** site kinds in scope; empty = every kind */
  siteKinds: z.array(z.enum(SITE_KINDS)).max(SITE_KINDS.length).default([]),
  /** sites in scope by id; empty = every site */
  siteIds: z.array(z.string().min(1).max(64)).max(10_000, "at most 10,000 sites").default([]),
  /** sites whose labels contain all of these */
  labels: labelsSchema.default({}),
});
export type RuleScope = z.output<typeof ruleScopeSchema>;

export const ruleInputSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "at most 100 characters"),
    kind: z.enum(RULE_KINDS, { message: `must be one of ${RULE_KINDS.join(", ")}` }),
    isEnabled: z.boolean().default(true),
    scope: ruleScopeSchema.default({ siteKinds: [], siteIds: [], labels: {} }),
    /** temperature: fires above this; null = the threshold chain's effective value per node */
    warnCelsius: celsius.nullable().default(null),
    /** temperature: critical above this; null = the chain's critical level, if any */
    criticalCelsius: celsius.nullable().default(null),
    /** temperature: the clear level is this far under the level it fired at */
    clearMargin: z
      .number({ message: "a number of °C" })
      .gt(0, "the clear level must be below the level: give a margin above 0")
      .max(30, "at most 30 °C"),
    forSeconds: seconds(3600, "1 hour"),
    clearForSeconds: seconds(DAY_S, "24 hours"),
    /** sensor silent: after this long without a point */
    noDataSeconds: z
      .number({ message: "a number of seconds" })
      .int("whole seconds")
      .min(60, "at least 1 minute")
      .max(DAY_S, "at most 24 hours"),
    contactPointIds: z.array(z.string().min(1).max(64)).max(20, "at most 20 contact points").default([]),
    groupWaitSeconds: seconds(3600, "1 hour"),
    groupIntervalSeconds: z
      .number({ message: "a number of seconds" })
      .int("whole seconds")
      .min(1, "at least 1 second")
      .max(DAY_S, "at most 24 hours"),
    repeatIntervalSeconds: z
      .number({ message: "a number of seconds" })
      .int("whole seconds")
      .min(60, "at least 1 minute")
      .max(7 * DAY_S, "at most 7 days"),
  })
  .partial({
    clearMargin: true,
    forSeconds: true,
    clearForSeconds: true,
    noDataSeconds: true,
    groupWaitSeconds: true,
    groupIntervalSeconds: true,
    repeatIntervalSeconds: true,
  })
  .transform((r) => ({
    ...r,
    clearMargin: r.clearMargin ?? DEFAULTS.clearMargin,
    forSeconds:
      r.forSeconds ?? (r.kind === "site-unreachable" || r.kind === "sensor-silent" ? 0 : DEFAULTS.forSeconds),
    clearForSeconds: r.clearForSeconds ?? (r.kind === "temperature" ? DEFAULTS.clearForSeconds : 60),
    noDataSeconds: r.noDataSeconds ?? DEFAULTS.noDataSeconds,
    groupWaitSeconds: r.groupWaitSeconds ?? DEFAULTS.groupWaitSeconds,
    groupIntervalSeconds: r.groupIntervalSeconds ?? DEFAULTS.groupIntervalSeconds,
    repeatIntervalSeconds: r.repeatIntervalSeconds ?? DEFAULTS.repeatIntervalSeconds,
  }))
  .superRefine((r, ctx) => {
    if (r.warnCelsius !== null && r.criticalCelsius !== null && r.criticalCelsius <= r.warnCelsius)
      ctx.addIssue({ code: "custom", path: ["criticalCelsius"], message: "must be above the warning level" });
    if (r.kind !== "temperature" && (r.warnCelsius !== null || r.criticalCelsius !== null))
      ctx.addIssue({ code: "custom", path: ["warnCelsius"], message: "only temperature rules have levels" });
    if (r.groupIntervalSeconds > r.repeatIntervalSeconds)
      ctx.addIssue({
        code: "custom",
        path: ["repeatIntervalSeconds"],
        message: "must be at least the group interval",
      });
  });
export type RuleInput = z.input<typeof ruleInputSchema>;
export type RuleConfig = z.output<typeof ruleInputSchema>;

export interface Rule extends RuleConfig {
  id: string;
}

/** Whether a site falls under a rule's scope. */
export function isInScope(
  scope: RuleScope,
  site: { id: string; kind: string; labels: Record<string, string> },
): boolean {
  if (scope.siteKinds.length > 0 && !(scope.siteKinds as readonly string[]).includes(site.kind)) return false;
  if (scope.siteIds.length > 0 && !scope.siteIds.includes(site.id)) return false;
  for (const [k, v] of Object.entries(scope.labels)) if (site.labels[k] !== v) return false;
  return true;
}
