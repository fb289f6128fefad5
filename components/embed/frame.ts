import { STATUS_META } from "@/components/health/status-meta";
import { EMBED_RANGE_LABELS, type EmbedRange } from "@/lib/embed/model";
import type { ChartPayload, EmbedPayload, StatusPayload, StripPayload } from "@/lib/embed/types";
import { SITE_KIND_LABELS } from "@/lib/fleet/schemas";
import { formatAgo, formatDuration, plural } from "@/lib/health/format";
import { SITE_STATUSES, TELEMETRY_STALE_MS } from "@/lib/health/model";
import { html, type SafeHtml } from "./html";
import { chartSummary, svgChart } from "./svg-chart";

// The inside of an embed frame for each kind: title, "as of" age, the view,
// and a footer with the allowed ranges and the CSV. Rendered on the server
// for the first paint and for every refresh (the frame script swaps it in).

export interface FrameView {
  width: number;
  height: number;
  timeZone: string;
  /** URL of this embed with another range (a link inside the frame) */
  rangeHref: (range: EmbedRange) => string;
  /** the CSV of what is shown; null where CSV is not offered (preview) */
  csvHref: string | null;
}

/** Room taken by padding, title row and footer row (px); the chart gets the rest. */
const CHROME_PX = 58;
const LEGEND_PX = 18;
const MAX_LEGEND_SERIES = 6;

function ageText(at: string | null, now: number): string {
  if (!at) return "never";
  return formatAgo(Math.max(0, now - Date.parse(at)));
}

/** A ticking age: rendered now, kept current by the frame script. */
function liveAge(at: string | null, now: number, prefix: string, mode: "ago" | "duration" = "ago"): SafeHtml {
  if (!at) return html`<span>${prefix}never</span>`;
  const text = mode === "duration" ? formatDuration(Math.max(0, now - Date.parse(at))) : ageText(at, now);
  return html`<time datetime="${at}" data-at="${at}" data-prefix="${prefix}" data-mode="${mode}">${prefix}${text}</time>`;
}

function frameRoot(p: EmbedPayload, v: FrameView, body: SafeHtml): SafeHtml {
  return html`<div class="eb" data-kind="${p.kind}" data-generated-at="${p.generatedAt}" data-refresh-ms="${p.refreshMs}" data-old-after-ms="${p.oldAfterMs}" data-w="${v.width}" data-h="${v.height}" data-terminal="0" data-outdated="false">${body}</div>`;
}

function footer(p: { ranges?: EmbedRange[]; range?: EmbedRange }, v: FrameView): SafeHtml {
  const ranges = p.ranges ?? [];
  return html`<footer class="eb-foot">${
    ranges.length > 1
      ? html`<nav aria-label="Time range">${ranges.map(
          (r, i) =>
            html`${i > 0 ? " " : ""}<a href="${v.rangeHref(r)}"${r === p.range ? html` aria-current="true"` : ""}>${EMBED_RANGE_LABELS[r]}</a>`,
        )}</nav>`
      : p.range
        ? html`<span>${EMBED_RANGE_LABELS[p.range]}</span>`
        : null
  }${v.csvHref ? html`<a href="${v.csvHref}" download>CSV</a>` : null}<span class="eb-brand">Outpost</span></footer>`;
}

function fmt(v: number, digits: number): string {
  return v.toFixed(digits);
}

function chartFrame(p: ChartPayload, v: FrameView, now: number): SafeHtml {
  const digits = p.kind === "connectivity" ? 0 : 1;
  const latestIso = p.latestAt === null ? null : new Date(p.latestAt).toISOString();
  const isSilent = p.latestAt !== null && now - p.latestAt > TELEMETRY_STALE_MS;
  const hasLegend = p.series.length > 1 && p.series.length <= MAX_LEGEND_SERIES && v.width >= 340;
  const chartHeight = Math.max(70, v.height - CHROME_PX - (hasLegend ? LEGEND_PX : 0));
  const thresholds =
    p.thresholdCelsius !== undefined
      ? [{ value: p.thresholdCelsius, label: `Warning ${fmt(p.thresholdCelsius, 0)} °C` }]
      : [];
  const bands = (p.bands ?? []).flatMap(({ host, bands: list }) =>
    list.map((b) => ({
      from: b.from,
      to: b.to,
      tone: b.state === "down" ? ("danger" as const) : ("warn" as const),
      label: `${host}: ${b.state === "down" ? "link down" : "lossy or slow link"}`,
    })),
  );
  // The one-line story for small frames and screen readers: the worst value now.
  const latest = p.series
    .map((s) => {
      const last = [...s.points].reverse().find((q) => q.mean !== null);
      return last && last.mean !== null ? { label: s.label, v: last.mean } : null;
    })
    .filter((x): x is { label: string; v: number } => x !== null)
    .sort((a, b) => b.v - a.v);
  const top = latest[0];
  const story =
    p.series.length === 0
      ? "No data in this range"
      : top
        ? `${plural(p.series.length, p.kind === "turbine" ? "turbine" : "node")} · ${p.kind === "connectivity" ? "slowest" : "highest"} now ${top.label} ${fmt(top.v, digits)} ${p.unit}`
        : plural(p.series.length, "series", "series");
  const hot =
    p.thresholdCelsius !== undefined && top
      ? latest.filter((l) => l.v > (p.thresholdCelsius ?? Infinity))
      : [];
  const chartId = `eb-${p.kind}`;
  const body = p.unavailable
    ? html`<p class="eb-unavailable" role="status">Telemetry unavailable (${p.unavailable.reason}): ${p.unavailable.message}</p>`
    : p.series.length === 0
      ? html`<p class="eb-empty">No data in this range</p>`
      : html`<figure class="eb-chart" role="img" aria-labelledby="${chartId}-t" aria-describedby="${chartId}-d">${svgChart(
          {
            id: chartId,
            series: p.series,
            unit: p.unit,
            from: p.from,
            to: p.to,
            intervalMs: p.intervalMs,
            width: v.width - 20,
            height: chartHeight,
            timeZone: v.timeZone,
            thresholds,
            bands,
            digits,
          },
        )}</figure>`;
  return frameRoot(
    p,
    v,
    html`<header class="eb-head"><h1 class="eb-title" id="${chartId}-t">${p.title}</h1><p class="eb-asof">${
      latestIso ? liveAge(latestIso, now, "as of ") : html`<span>no data</span>`
    }</p></header>
<p class="eb-warn" data-warn>${isSilent && latestIso ? `No new readings for ${formatDuration(now - (p.latestAt ?? now))}` : ""}${
      hot.length > 0
        ? `${isSilent ? " · " : ""}${plural(hot.length, "node")} above the warning threshold`
        : ""
    }</p>
<p class="eb-warn" data-live-warn role="status"></p>
<p class="card-meta" id="${chartId}-d">${story}${p.unit ? ` · ${p.unit}` : ""}</p>
<div class="eb-body">${body}${
      hasLegend
        ? html`<ul class="eb-legend" aria-hidden="true">${p.series.map((s) => html`<li data-series="${s.id}">${s.label}</li>`)}</ul>`
        : null
    }${
      p.series.length > 0
        ? chartSummary(
            {
              series: [
                ...p.series,
                ...(p.loss ?? []).map((l) => ({ ...l, label: `${l.label} (packet loss)` })),
              ],
              intervalMs: p.intervalMs,
              unit: p.unit,
              timeZone: v.timeZone,
              thresholds,
              bands,
              digits,
            },
            `${p.title}: latest, lowest and highest per series`,
          )
        : null
    }</div>
${footer(p, v)}`,
  );
}

function statusFrame(p: StatusPayload, v: FrameView, now: number): SafeHtml {
  const meta = STATUS_META[p.status];
  const reasons = v.height >= 240 ? p.reasons.slice(0, v.height >= 320 ? 3 : 1) : [];
  return frameRoot(
    p,
    v,
    html`<header class="eb-head"><h1 class="eb-title">${p.site.name}</h1><p class="eb-asof">${liveAge(p.generatedAt, now, "as of ")}</p></header>
<p class="eb-warn" data-live-warn role="status"></p>
<div class="eb-body" data-testid="embed-status">
<div class="card-head"><span class="status status--${p.status}" data-status="${p.status}" title="${meta.description}"><span aria-hidden="true">${meta.icon}</span> ${meta.label}</span></div>
<p class="card-headline" data-headline>${p.headline}</p>
<p class="card-meta">${
      p.since && p.status !== "healthy" ? html`${liveAge(p.since, now, "Since ", "duration")} · ` : null
    }Last seen ${liveAge(p.lastSeenAt, now, "")} · ${p.counts.nodesReady}/${p.counts.nodes} nodes ready</p>
${reasons.length > 0 ? html`<ul class="card-reasons">${reasons.map((r) => html`<li>${r.sentence}</li>`)}</ul>` : null}
</div>
${footer({}, v)}`,
  );
}

function stripFrame(p: StripPayload, v: FrameView, now: number): SafeHtml {
  const scope = [
    p.filter.kind ? `${SITE_KIND_LABELS[p.filter.kind]} sites` : "All sites",
    p.filter.label ? `labelled ${p.filter.label}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return frameRoot(
    p,
    v,
    html`<header class="eb-head"><h1 class="eb-title">${scope}: ${p.counts.total}</h1><p class="eb-asof">${liveAge(p.generatedAt, now, "as of ")}</p></header>
<p class="eb-warn" data-live-warn role="status"></p>
<div class="eb-body"><ul class="strip" data-testid="embed-strip" aria-label="Sites by state">${SITE_STATUSES.map(
      (s) => {
        const n = p.counts[s];
        const meta = STATUS_META[s];
        return html`<li class="tile tile--${s}${n === 0 ? " is-zero" : ""}" data-status="${s}" title="${meta.description}"><span class="tile-n">${n}</span><span class="tile-l"><span aria-hidden="true">${meta.icon} </span>${meta.label}</span></li>`;
      },
    )}</ul></div>
${footer({}, v)}`,
  );
}

export function frameBody(p: EmbedPayload, v: FrameView, now = Date.parse(p.generatedAt)): SafeHtml {
  switch (p.kind) {
    case "site-status":
      return statusFrame(p, v, now);
    case "fleet-strip":
      return stripFrame(p, v, now);
    default:
      return chartFrame(p, v, now);
  }
}

/** A refusal inside the frame: what happened in words, nothing else. */
export function errorBody(
  title: string,
  opts: { isTerminal: boolean; retryAfterSeconds?: number | null },
): SafeHtml {
  return html`<div class="eb eb-error" role="alert" data-testid="embed-error" data-terminal="${opts.isTerminal ? "1" : "0"}"${
    opts.retryAfterSeconds ? html` data-retry-after="${opts.retryAfterSeconds}"` : null
  } data-refresh-ms="${(opts.retryAfterSeconds ?? 30) * 1000}"><h1>${title}</h1><p>${
    opts.isTerminal ? "Ask the owner of this portal for a new embed." : "It will try again by itself."
  } · Outpost</p></div>`;
}
