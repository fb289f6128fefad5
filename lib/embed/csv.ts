import type { EmbedPayload } from "./types";

// The CSV of what an embed shows. Cells that a spreadsheet would run as a
// formula (=, +, -, @ first) are prefixed with ' — site names come from users.

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function rows(lines: (string | number | null | undefined)[][]): string {
  return `${lines.map((l) => l.map(cell).join(",")).join("\r\n")}\r\n`;
}

export function embedCsv(p: EmbedPayload): string {
  if (p.kind === "site-status")
    return rows([
      ["site", "status", "headline", "since", "last_seen", "nodes_ready", "nodes", "generated_at"],
      [
        p.site.slug,
        p.status,
        p.headline,
        p.since,
        p.lastSeenAt,
        p.counts.nodesReady,
        p.counts.nodes,
        p.generatedAt,
      ],
    ]);
  if (p.kind === "fleet-strip")
    return rows([
      ["state", "sites", "kind_filter", "label_filter", "generated_at"],
      ...Object.entries(p.counts).map(([state, n]) => [
        state,
        n,
        p.filter.kind ?? "",
        p.filter.label ?? "",
        p.generatedAt,
      ]),
    ]);
  const out: (string | number | null)[][] = [
    ["time_utc", "site", "series", "measure", "unit", "min", "mean", "max"],
  ];
  const measure =
    p.kind === "connectivity"
      ? "rtt"
      : p.kind === "turbine"
        ? (p.title.split(" · ")[0] ?? "value")
        : "temperature";
  const add = (list: typeof p.series, what: string, unit: string) => {
    for (const s of list)
      for (const q of s.points)
        out.push([
          new Date(q.t).toISOString(),
          p.site.slug,
          s.label,
          what,
          unit,
          q.min ?? null,
          q.mean,
          q.max ?? null,
        ]);
  };
  add(p.series, measure, p.unit);
  if (p.loss) add(p.loss, "packet_loss", "%");
  return rows(out);
}

export function csvFilename(p: EmbedPayload): string {
  const what = p.kind === "fleet-strip" ? "fleet" : p.site.slug;
  const range = "range" in p ? `-${p.range}` : "";
  return `outpost-${p.kind}-${what}${range}.csv`.replace(/[^A-Za-z0-9._-]/g, "_");
}
