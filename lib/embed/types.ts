// Response shapes of the embed APIs, shared with the browser (types only).
import type { FleetCounts, SiteStatus } from "@/lib/health/model";
import type { LinkRun } from "@/lib/telemetry/site-chart-types";
import type { TelemetrySeries, TelemetryUnavailable } from "@/lib/telemetry/types";
import type { EmbedKind, EmbedMode, EmbedRange, RefusalReason, SiteFilter } from "./model";

export type GrantState = "active" | "revoked" | "expired" | "disabled";

export interface EmbedGrantView {
  id: string;
  kind: EmbedKind;
  mode: EmbedMode;
  site: { id: string; slug: string; name: string } | null;
  filter: SiteFilter;
  metric: string | null;
  ranges: EmbedRange[];
  defaultRange: EmbedRange;
  origins: string[];
  note: string;
  rateLimitPerMinute: number;
  createdBy: { id: string; username: string };
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedByName: string | null;
  state: GrantState;
  /** first characters of the token or secret */
  credentialHint: string;
  lastUsedAt: string | null;
  useCount: number;
}

/** Shown once, in the response that created (or reissued) it. */
export type EmbedCredential =
  | { type: "link"; token: string; url: string; snippet: string }
  | { type: "signed"; secret: string; urlTemplate: string; snippet: string };

export interface GrantCreated {
  grant: EmbedGrantView;
  credential: EmbedCredential;
}

export interface GrantEvent {
  id: string;
  at: string;
  action: string;
  actorName: string;
  result: string;
  detail: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// What the embed data route answers (JSON), per kind

interface PayloadBase {
  generatedAt: string;
  /** how often the frame refreshes itself */
  refreshMs: number;
  /** data on screen older than this is greyed (the main UI's rule) */
  oldAfterMs: number;
}

export interface ChartPayload extends PayloadBase {
  kind: "temperature" | "connectivity" | "turbine";
  site: { slug: string; name: string };
  range: EmbedRange;
  ranges: EmbedRange[];
  from: number;
  to: number;
  intervalMs: number;
  unit: string;
  title: string;
  unavailable: TelemetryUnavailable | null;
  series: TelemetrySeries[];
  /** connectivity: packet loss per host, summarised beside the RTT lines (when sent) */
  loss?: TelemetrySeries[];
  /** connectivity: the lossy / down runs per host (the site page's timeline), drawn as bands */
  bands?: { host: string; bands: LinkRun[] }[];
  thresholdCelsius?: number;
  /** newest point of any series (ms), for "as of" */
  latestAt: number | null;
}

export interface StatusPayload extends PayloadBase {
  kind: "site-status";
  site: { slug: string; name: string };
  status: SiteStatus;
  headline: string;
  since: string | null;
  lastSeenAt: string | null;
  reasons: { sentence: string; since: string | null }[];
  counts: { clusters: number; clustersFresh: number; nodes: number; nodesReady: number };
}

export interface StripPayload extends PayloadBase {
  kind: "fleet-strip";
  filter: SiteFilter;
  counts: FleetCounts;
}

export type EmbedPayload = ChartPayload | StatusPayload | StripPayload;

export interface EmbedErrorBody {
  error: {
    code:
      | "unauthenticated"
      | "forbidden"
      | "rate_limited"
      | "validation_failed"
      | "bad_request"
      | "not_found";
    reason: RefusalReason | "bad-input";
    message: string;
  };
}
