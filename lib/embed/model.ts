// Types only from the zod schema file: this module is in the site page's first load.
import type { SiteKind } from "@/lib/fleet/schemas";

// What can be embedded and the limits every embed obeys. Shared by the
// server, the grant dialog and the docs (no server imports here).

export const EMBED_KINDS = ["temperature", "connectivity", "turbine", "site-status", "fleet-strip"] as const;
export type EmbedKind = (typeof EMBED_KINDS)[number];

export const EMBED_KIND_LABELS: Readonly<Record<EmbedKind, string>> = {
  temperature: "Temperature chart",
  connectivity: "Connectivity chart (RTT and loss)",
  turbine: "Turbine metric chart",
  "site-status": "Site status card",
  "fleet-strip": "Fleet status strip",
};

/** Kinds that show one site (the fleet strip shows counts over a filter of sites). */
export const SITE_EMBED_KINDS: readonly EmbedKind[] = [
  "temperature",
  "connectivity",
  "turbine",
  "site-status",
];
export const CHART_EMBED_KINDS: readonly EmbedKind[] = ["temperature", "connectivity", "turbine"];

export function isSiteEmbed(kind: EmbedKind): boolean {
  return SITE_EMBED_KINDS.includes(kind);
}
export function isChartKind(kind: EmbedKind): boolean {
  return CHART_EMBED_KINDS.includes(kind);
}

/**
 * link: the iframe URL carries a token bound to the grant (for portals without a backend);
 * signed: the portal's backend signs a short-lived JWS per viewer with the grant's secret.
 */
export const EMBED_MODES = ["link", "signed"] as const;
export type EmbedMode = (typeof EMBED_MODES)[number];

/** The chart ranges an embed may offer (the site page's presets; no custom ranges). */
export const EMBED_RANGES = ["15m", "1h", "6h", "24h", "7d"] as const;
export type EmbedRange = (typeof EMBED_RANGES)[number];

export const EMBED_RANGE_LABELS: Readonly<Record<EmbedRange, string>> = {
  "15m": "15 min",
  "1h": "1 h",
  "6h": "6 h",
  "24h": "24 h",
  "7d": "7 days",
};

/** The ranges from `min` to `max` in order (the dialog's "1 h – 7 days"). */
export function rangesBetween(min: EmbedRange, max: EmbedRange): EmbedRange[] {
  const a = EMBED_RANGES.indexOf(min);
  const b = EMBED_RANGES.indexOf(max);
  return EMBED_RANGES.slice(Math.min(a, b), Math.max(a, b) + 1);
}

export const EMBED_THEMES = ["light", "dark", "auto"] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];

const DAY_MS = 86_400_000;
export const DEFAULT_EXPIRY_DAYS = 90;
export const MAX_EXPIRY_DAYS = 365;
export const MAX_EXPIRY_MS = MAX_EXPIRY_DAYS * DAY_MS;
/** A grant that lives less than this is a typo, not a plan. */
export const MIN_EXPIRY_MS = 3_600_000;

/** Signed tokens live at most this long (Superset's guest tokens: 5 min; Metabase: up to the portal). */
export const SIGNED_TOKEN_MAX_SECONDS = 15 * 60;
/** Tolerated difference between the portal's clock and ours (iat/nbf in the future, exp just past). */
export const CLOCK_SKEW_SECONDS = 60;
/** The `aud` every signed token must carry: a token for another service is not ours. */
export const EMBED_AUDIENCE = "outpost-embed";

export const MAX_ORIGINS = 20;
export const MAX_NOTE_LENGTH = 500;
export const MIN_RATE_PER_MINUTE = 1;
export const MAX_RATE_PER_MINUTE = 100_000;

/** Smallest size every embed is designed for (the snippet's default is larger). */
export const MIN_EMBED_WIDTH = 300;
export const MIN_EMBED_HEIGHT = 200;

/** Which sites a fleet strip counts, or which sites a signed multi-site grant may show. */
export interface SiteFilter {
  kind?: SiteKind;
  /** `key=value`, or `key` for "has the label" (the control center's label filter) */
  label?: string;
}

/** Why an embed request was refused: each has its own words inside the frame. */
export const REFUSALS = [
  "invalid",
  "token-expired",
  "revoked",
  "expired",
  "disabled",
  "origin",
  "scope",
  "locked",
  "range",
  "rate-limited",
] as const;
export type RefusalReason = (typeof REFUSALS)[number];
