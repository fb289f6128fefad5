import { SERIES_COLORS, SERIES_COLORS_LIGHT } from "@/components/charts/series";
import { SITE_STATUSES, type SiteStatus } from "@/lib/health/model";

// The embeds' stylesheet (inline, nonce'd). Dark uses the main UI's own
// state colours (embed-css.test.ts compares them with app/globals.css, so the
// two cannot drift); light uses darker shades of the same hues for white
// portals. Old data is greyed with the main UI's exact rule.

/** The main UI's dark state colours (app/globals.css :root --st-*). */
export const DARK_STATUS: Readonly<Record<SiteStatus, { fg: string; bg: string }>> = {
  critical: { fg: "#ff6b6b", bg: "#3d1010" },
  unreachable: { fg: "#ff9f6b", bg: "#3a1e0c" },
  degraded: { fg: "#ffcc4d", bg: "#33290a" },
  stale: { fg: "#c9b98f", bg: "#2a2619" },
  unknown: { fg: "#b4c0ce", bg: "#1f2833" },
  "expected-offline": { fg: "#9bb5ff", bg: "#18223d" },
  healthy: { fg: "#6fdd8b", bg: "#0f2e1b" },
};

/** Same hues for light backgrounds, each ≥ 4.5:1 against its own background. */
export const LIGHT_STATUS: Readonly<Record<SiteStatus, { fg: string; bg: string }>> = {
  critical: { fg: "#a4161a", bg: "#fde8e8" },
  unreachable: { fg: "#9a3412", bg: "#fdeee3" },
  degraded: { fg: "#7a5600", bg: "#fdf3d7" },
  stale: { fg: "#6b5b2e", bg: "#f3efe3" },
  unknown: { fg: "#475569", bg: "#eef1f5" },
  "expected-offline": { fg: "#3446a8", bg: "#e8ecfd" },
  healthy: { fg: "#17702f", bg: "#e3f6e8" },
};

/** The main UI's greying of old data (app/globals.css .is-outdated). */
export const OUTDATED_RULE = "opacity: 0.55; filter: grayscale(0.7);";

const DARK_VARS = `
  color-scheme: dark;
  --bg: #0b0f14; --surface: #131a23; --fg: #f0f4f8; --muted: #b4c0ce; --grid: #334357; --axis: #b4c0ce;
  --accent: #79b8ff; --warn: #ffcc4d; --warn-bg: #33290a; --danger: #ff8a80; --danger-bg: #3a1414;
  --band-danger: #ff8a80; --band-warn: #ffcc4d; --threshold: #ffcc4d; --focus: #ffd84d;
${SITE_STATUSES.map((s) => `  --st-${s}: ${DARK_STATUS[s].fg}; --st-${s}-bg: ${DARK_STATUS[s].bg};`).join("\n")}
${SERIES_COLORS.map((c, i) => `  --s${i}: ${c};`).join("\n")}`;

const LIGHT_VARS = `
  color-scheme: light;
  --bg: #ffffff; --surface: #f6f8fa; --fg: #111827; --muted: #4b5563; --grid: #d6dce4; --axis: #4b5563;
  --accent: #0a58a8; --warn: #7a5600; --warn-bg: #fdf3d7; --danger: #a4161a; --danger-bg: #fde8e8;
  --band-danger: #c0362c; --band-warn: #b7791f; --threshold: #9a4508; --focus: #0a58a8;
${SITE_STATUSES.map((s) => `  --st-${s}: ${LIGHT_STATUS[s].fg}; --st-${s}-bg: ${LIGHT_STATUS[s].bg};`).join("\n")}
${SERIES_COLORS_LIGHT.map((c, i) => `  --s${i}: ${c};`).join("\n")}`;

export const EMBED_CSS = `
:root {${LIGHT_VARS}
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
.theme-dark {${DARK_VARS}
}
@media (prefers-color-scheme: dark) {
  .theme-auto {${DARK_VARS}
  }
}
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { background: var(--bg); color: var(--fg); font: 13px/1.35 var(--font); overflow: hidden; }
#eb-root { height: 100%; }
.eb { display: flex; flex-direction: column; height: 100%; padding: 8px 10px 6px; gap: 4px; }
.eb.is-outdated { ${OUTDATED_RULE} }
.eb-head { display: flex; align-items: baseline; gap: 8px; min-width: 0; }
.eb-title { font-size: 14px; font-weight: 700; margin: 0; flex: 1 1 auto; min-width: 0;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.eb-asof { color: var(--muted); font-size: 12px; white-space: nowrap; margin: 0; }
.eb-warn { color: var(--warn); font-weight: 700; font-size: 12px; margin: 0; }
.eb-warn:empty { display: none; }
.eb-body { flex: 1 1 auto; min-height: 0; position: relative; }
.eb-chart svg { display: block; }
.eb-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0; padding: 0; list-style: none; font-size: 12px; color: var(--muted); }
.eb-legend li { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
.eb-foot { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px; font-size: 12px; color: var(--muted); }
.eb-foot a { color: var(--accent); }
.eb-foot a[aria-current="true"] { color: var(--fg); font-weight: 700; text-decoration: none; }
.eb-foot .eb-brand { margin-left: auto; }
a:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.eb-empty { color: var(--muted); margin: 12px 0; }
.eb-unavailable { color: var(--warn); background: var(--warn-bg); border-radius: 6px; padding: 8px 10px; margin: 4px 0; }
.status { --st: var(--st-unknown); --st-bg: var(--st-unknown-bg); display: inline-flex; align-items: center; gap: 0.4em;
  padding: 0.1em 0.6em; border-radius: 999px; border: 1px solid var(--st); background: var(--st-bg); color: var(--st);
  font-size: 0.95rem; font-weight: 700; white-space: nowrap; }
${SITE_STATUSES.map((s) => `.status--${s}, .tile--${s} { --st: var(--st-${s}); --st-bg: var(--st-${s}-bg); }`).join("\n")}
.card-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.card-name { font-size: 15px; font-weight: 700; margin: 0; }
.card-headline { font-size: 14px; margin: 2px 0; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.card-meta { color: var(--muted); font-size: 12px; margin: 0; }
.card-reasons { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.strip { display: grid; grid-template-columns: repeat(auto-fill, minmax(86px, 1fr)); gap: 6px; margin: 0; padding: 0; list-style: none; }
.tile { --st: var(--muted); --st-bg: var(--surface); border: 1px solid var(--st); background: var(--st-bg); color: var(--st);
  border-radius: 6px; padding: 4px 8px; }
.tile.is-zero { border-style: dashed; font-weight: 400; }
.tile-n { display: block; font-size: 20px; font-weight: 800; line-height: 1.1; }
.tile-l { display: block; font-size: 11px; font-weight: 700; }
.eb-error { display: flex; flex-direction: column; justify-content: center; height: 100%; padding: 12px; gap: 4px; }
.eb-error h1 { font-size: 15px; margin: 0; color: var(--danger); }
.eb-error p { margin: 0; color: var(--muted); font-size: 12px; }
.vh { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
