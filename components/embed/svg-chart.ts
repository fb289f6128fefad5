import { type ChartSeries, isGap, SERIES_COLORS, seriesStats, seriesStyle } from "@/components/charts/series";
import { html, type SafeHtml, trusted } from "./html";

// A small server-rendered line chart for embeds: the same series contract and
// rules as the main chart (gaps stay gaps, min–max bands, dash + colour per
// series, threshold lines, shaded stretches), drawn as plain SVG at the
// frame's size so an embed needs no chart library in the browser.

export interface SvgChartInput {
  id: string;
  series: readonly ChartSeries[];
  unit: string;
  from: number;
  to: number;
  intervalMs: number;
  width: number;
  height: number;
  timeZone: string;
  thresholds?: readonly { value: number; label: string }[];
  bands?: readonly { from: number; to: number; tone: "danger" | "warn"; label: string }[];
  digits?: number;
}

const MARGIN = { top: 6, right: 8, bottom: 18, left: 40 };
/** More series than this and the min–max bands would hide each other. */
const MAX_BANDED_SERIES = 3;

function r1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** Round axis steps: 1, 2, 5 × 10^n. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const TIME_STEPS = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
];

export function timeTicks(from: number, to: number, maxTicks: number): number[] {
  const span = to - from;
  const step =
    TIME_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86_400_000) * 86_400_000;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

export function timeFormat(from: number, to: number, timeZone: string): (t: number) => string {
  const long = to - from > 36 * 3_600_000;
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(long ? { day: "2-digit", month: "short" } : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  });
  return (t) => fmt.format(t);
}

/** [lo, hi] of everything drawn (values, bands, thresholds), padded a little. */
function valueDomain(input: SvgChartInput): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of input.series)
    for (const p of s.points) {
      const a = p.min ?? p.mean;
      const b = p.max ?? p.mean;
      if (a !== null && a !== undefined) lo = Math.min(lo, a);
      if (b !== null && b !== undefined) hi = Math.max(hi, b);
    }
  for (const t of input.thresholds ?? []) {
    lo = Math.min(lo, t.value);
    hi = Math.max(hi, t.value);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-9) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

/** One path per series, broken where a bucket is missing (never a line across an outage). */
export function linePath(
  points: ChartSeries["points"],
  intervalMs: number,
  x: (t: number) => number,
  y: (v: number) => number,
): string {
  let d = "";
  let previous: number | null = null;
  for (const p of points) {
    if (p.mean === null) {
      previous = null;
      continue;
    }
    const cmd = previous === null || isGap(previous, p.t, intervalMs) ? "M" : "L";
    d += `${cmd}${r1(x(p.t))} ${r1(y(p.mean))}`;
    previous = p.t;
  }
  return d;
}

/** The min–max band of a series as closed areas, one per unbroken stretch. */
function bandPath(
  points: ChartSeries["points"],
  intervalMs: number,
  x: (t: number) => number,
  y: (v: number) => number,
) {
  const runs: { t: number; lo: number; hi: number }[][] = [];
  let run: { t: number; lo: number; hi: number }[] = [];
  let previous: number | null = null;
  for (const p of points) {
    if (p.min == null || p.max == null) continue;
    if (previous !== null && isGap(previous, p.t, intervalMs)) {
      runs.push(run);
      run = [];
    }
    run.push({ t: p.t, lo: p.min, hi: p.max });
    previous = p.t;
  }
  runs.push(run);
  return runs
    .filter((r) => r.length > 1)
    .map(
      (r) =>
        `M${r.map((q) => `${r1(x(q.t))} ${r1(y(q.hi))}`).join("L")}L${[...r]
          .reverse()
          .map((q) => `${r1(x(q.t))} ${r1(y(q.lo))}`)
          .join("L")}Z`,
    )
    .join("");
}

export function svgChart(input: SvgChartInput): SafeHtml {
  const { width, height, from, to, intervalMs } = input;
  const w = Math.max(120, width);
  const h = Math.max(60, height);
  const plotW = w - MARGIN.left - MARGIN.right;
  const plotH = h - MARGIN.top - MARGIN.bottom;
  const [lo, hi] = valueDomain(input);
  const x = (t: number) => MARGIN.left + ((t - from) / Math.max(1, to - from)) * plotW;
  const y = (v: number) => MARGIN.top + (1 - (v - lo) / (hi - lo)) * plotH;
  const digits = input.digits ?? 1;
  const yTicks = niceTicks(lo, hi, Math.max(2, Math.floor(plotH / 36)));
  const xTicks = timeTicks(from, to, Math.max(2, Math.floor(plotW / 70)));
  const fmtT = timeFormat(from, to, input.timeZone);
  const isBanded = input.series.length <= MAX_BANDED_SERIES;
  const tickDigits = Math.max(0, Math.min(digits, -Math.floor(Math.log10(Math.max(1e-9, (hi - lo) / 4)))));
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" aria-hidden="true" focusable="false" data-series="${input.series.length}">
<g class="grid" stroke="var(--grid)" stroke-dasharray="3 3">${yTicks.map(
    (v) => html`<line x1="${MARGIN.left}" x2="${w - MARGIN.right}" y1="${r1(y(v))}" y2="${r1(y(v))}"/>`,
  )}</g>
<g fill="var(--axis)" font-size="10">${yTicks.map(
    (v) =>
      html`<text x="${MARGIN.left - 4}" y="${r1(y(v) + 3)}" text-anchor="end">${v.toFixed(tickDigits)}</text>`,
  )}${xTicks.map((t) => html`<text x="${r1(x(t))}" y="${h - 4}" text-anchor="middle">${fmtT(t)}</text>`)}</g>
${(input.bands ?? []).map((b) => {
  const x1 = x(Math.max(b.from, from));
  const x2 = x(Math.min(b.to, to));
  const color = b.tone === "danger" ? "var(--band-danger)" : "var(--band-warn)";
  return x2 > x1
    ? html`<rect class="band band--${b.tone}" x="${r1(x1)}" y="${MARGIN.top}" width="${r1(Math.max(1, x2 - x1))}" height="${plotH}" fill="${color}" fill-opacity="0.16"><title>${b.label}</title></rect>`
    : null;
})}
${input.series.map((s, i) => {
  // Colours are theme variables (--s0…), so "auto" follows the viewer's system without a redraw.
  const { dash } = seriesStyle(i);
  const color = `var(--s${i % SERIES_COLORS.length})`;
  const band = isBanded ? bandPath(s.points, intervalMs, x, y) : "";
  return html`<g class="series" data-id="${s.id}">${band ? html`<path d="${trusted(band)}" fill="${color}" fill-opacity="0.14" stroke="none"/>` : null}<path d="${trusted(linePath(s.points, intervalMs, x, y))}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? trusted(` stroke-dasharray="${dash}"`) : null} stroke-linejoin="round"><title>${s.label}</title></path></g>`;
})}
${(input.thresholds ?? []).map(
  (t) =>
    html`<g class="threshold"><line x1="${MARGIN.left}" x2="${w - MARGIN.right}" y1="${r1(y(t.value))}" y2="${r1(y(t.value))}" stroke="var(--threshold)" stroke-width="1.5" stroke-dasharray="6 3"/><text x="${w - MARGIN.right - 2}" y="${r1(y(t.value) - 3)}" text-anchor="end" font-size="10" fill="var(--threshold)">${t.label}</text></g>`,
)}
</svg>`;
}

/** The chart's numbers as text (screen readers, and anyone who cannot see the lines). */
export function chartSummary(
  input: Pick<
    SvgChartInput,
    "series" | "intervalMs" | "unit" | "timeZone" | "thresholds" | "bands" | "digits"
  >,
  caption: string,
): SafeHtml {
  const digits = input.digits ?? 1;
  const fmt = (v: number | null) => (v === null ? "–" : `${v.toFixed(digits)} ${input.unit}`);
  const time = new Intl.DateTimeFormat("en-GB", {
    timeZone: input.timeZone,
    dateStyle: "medium",
    timeStyle: "medium",
  });
  return html`<table class="vh"><caption>${caption}</caption><thead><tr><th scope="col">Series</th><th scope="col">Latest</th><th scope="col">Latest at</th><th scope="col">Lowest</th><th scope="col">Highest</th><th scope="col">Gaps</th></tr></thead><tbody>${input.series.map(
    (s) => {
      const st = seriesStats(s, input.intervalMs);
      return html`<tr><th scope="row">${s.label}</th><td>${fmt(st.latest)}</td><td>${st.latestAt === null ? "–" : time.format(st.latestAt)}</td><td>${fmt(st.min)}</td><td>${fmt(st.max)}</td><td>${st.gaps}</td></tr>`;
    },
  )}</tbody></table>${(input.thresholds ?? []).map((t) => html`<p class="vh">${t.label}</p>`)}${
    (input.bands ?? []).length > 0
      ? html`<ul class="vh">${(input.bands ?? []).map(
          (b) => html`<li>${b.label}: ${time.format(b.from)} to ${time.format(b.to)}</li>`,
        )}</ul>`
      : null
  }`;
}
