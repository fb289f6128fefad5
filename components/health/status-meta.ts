import type { FreshnessState, NodeReadiness, SiteStatus } from "@/lib/health/model";

// How each health state looks: a word, an icon and a shape as well as a
// colour, so nothing depends on telling red from green.

export type StatusShape = "diamond" | "square" | "triangle" | "ring" | "circle" | "hollow-square" | "moon";

export interface StatusMeta {
  label: string;
  /** text icon next to the word */
  icon: string;
  /** map marker shape */
  shape: StatusShape;
  /** one sentence for legends and tooltips */
  description: string;
}

export const STATUS_META: Readonly<Record<SiteStatus, StatusMeta>> = {
  critical: {
    label: "Critical",
    icon: "◆",
    shape: "diamond",
    description: "The site is down by its own account, or Outpost's credentials are dead",
  },
  unreachable: {
    label: "Unreachable",
    icon: "■",
    shape: "square",
    description: "Outpost has not reached the site for several polls",
  },
  degraded: {
    label: "Degraded",
    icon: "▲",
    shape: "triangle",
    description: "The site answers but reports problems",
  },
  stale: {
    label: "Stale",
    icon: "◌",
    shape: "ring",
    description: "Recent polls failed; what is shown may be out of date",
  },
  unknown: {
    label: "Unknown",
    icon: "?",
    shape: "hollow-square",
    description: "No cluster registered or not contacted yet",
  },
  "expected-offline": {
    label: "Expected offline",
    icon: "☾",
    shape: "moon",
    description: "Dark inside its planned offline window",
  },
  healthy: {
    label: "Healthy",
    icon: "●",
    shape: "circle",
    description: "Reachable and reporting no problem",
  },
};

export const FRESHNESS_META: Readonly<Record<FreshnessState, { label: string; icon: string }>> = {
  fresh: { label: "Fresh", icon: "●" },
  stale: { label: "Stale", icon: "◌" },
  unreachable: { label: "Unreachable", icon: "■" },
  never: { label: "Not contacted", icon: "?" },
};

export const READINESS_META: Readonly<
  Record<NodeReadiness, { icon: string; tone: "ok" | "danger" | "warn" }>
> = {
  Ready: { icon: "●", tone: "ok" },
  NotReady: { icon: "▲", tone: "danger" },
  Unknown: { icon: "?", tone: "warn" },
};
