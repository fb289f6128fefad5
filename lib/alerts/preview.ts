import { initialState, type Levels, type Periods, replay, type Sample } from "./state";

// The rule editor's preview, pure: replay a host's history through the state
// machine twice — as configured, and without hysteresis (clears the moment the
// value is back at the level, no clear period) — and count the firings.

export interface PreviewCounts {
  firings: number;
  /** what a rule without a clear level and clear period would have done */
  firingsWithoutHysteresis: number;
  /** event time of the firings (as configured) */
  firedAt: number[];
}

export function previewHost(samples: readonly Sample[], levels: Levels, periods: Periods): PreviewCounts {
  const withH = replay(initialState(), samples, levels, periods);
  const without = replay(
    initialState(),
    samples,
    { ...levels, clearMargin: Number.EPSILON * Math.max(1, Math.abs(levels.level)) * 4 },
    { ...periods, clearForMs: 0 },
  );
  const fired = withH.transitions.filter((t) => t.kind === "firing");
  return {
    firings: fired.length,
    firingsWithoutHysteresis: without.transitions.filter((t) => t.kind === "firing").length,
    firedAt: fired.map((t) => t.at),
  };
}
