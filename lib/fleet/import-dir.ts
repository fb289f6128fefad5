import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { BulkImportItem, OfflineWindow, SiteKind } from "./schemas";
import { SITE_KINDS, slugify } from "./schemas";

// Reads a fleet directory: `<site>/<cluster>.yaml` kubeconfigs, plus an optional
// `manifest.json` (the simulator writes one; so can any inventory script) that
// describes sites: name, kind, location, labels, expected offline windows.

const manifestWindow = z.object({
  start: z.string().optional(),
  end: z.string().optional(),
  timeZone: z.string().optional(),
  /** simulator form: nightly windows in UTC minutes; "random" ones are gaps with no schedule */
  kind: z.enum(["nightly", "random"]).optional(),
  startMinuteUtc: z.number().optional(),
  durationMinutes: z.number().optional(),
});

const manifestSchema = z.object({
  sites: z.array(
    z
      .object({
        slug: z.string(),
        name: z.string().optional(),
        kind: z.string().optional(),
        lat: z.number().optional(),
        lon: z.number().optional(),
        latitude: z.number().optional(),
        longitude: z.number().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        offlineWindows: z.array(manifestWindow).optional(),
        expectedOfflineWindows: z.array(manifestWindow).optional(),
        clusters: z
          .array(
            z
              .object({
                name: z.string(),
                kubeconfig: z.string().optional(),
                labels: z.record(z.string(), z.string()).optional(),
              })
              .passthrough(),
          )
          .optional(),
      })
      .passthrough(),
  ),
});

function hhmm(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

function toWindows(windows: z.infer<typeof manifestWindow>[]): {
  windows: OfflineWindow[];
  isIntermittent: boolean;
} {
  const out: OfflineWindow[] = [];
  let isIntermittent = false;
  for (const w of windows) {
    if (w.start && w.end) out.push({ start: w.start, end: w.end, timeZone: w.timeZone ?? "UTC" });
    else if (w.kind === "nightly" && w.startMinuteUtc !== undefined && w.durationMinutes !== undefined) {
      out.push({
        start: hhmm(w.startMinuteUtc),
        end: hhmm(w.startMinuteUtc + w.durationMinutes),
        timeZone: "UTC",
      });
    }
    isIntermittent = true;
  }
  return { windows: out, isIntermittent };
}

export interface DirectoryImport {
  items: BulkImportItem[];
  /** files that could not even be read as an item (reported, not fatal) */
  problems: { file: string; message: string }[];
}

export function readFleetDirectory(dir: string): DirectoryImport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  const problems: DirectoryImport["problems"] = [];
  let manifest: z.infer<typeof manifestSchema> | null = null;
  const manifestPath = path.join(dir, "manifest.json");
  if (fs.existsSync(manifestPath)) {
    const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestPath, "utf8")));
    if (parsed.success) manifest = parsed.data;
    else
      problems.push({
        file: "manifest.json",
        message: parsed.error.issues[0]?.message ?? "invalid manifest",
      });
  }
  const siteMeta = new Map((manifest?.sites ?? []).map((s) => [s.slug, s]));
  const items: BulkImportItem[] = [];
  for (const siteEntry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (!siteEntry.isDirectory()) continue;
    const slug = siteEntry.name;
    const meta = siteMeta.get(slug);
    const kind: SiteKind = (SITE_KINDS as readonly string[]).includes(meta?.kind ?? "")
      ? (meta?.kind as SiteKind)
      : "other";
    const { windows, isIntermittent } = toWindows(meta?.expectedOfflineWindows ?? meta?.offlineWindows ?? []);
    const latitude = meta?.latitude ?? meta?.lat;
    const longitude = meta?.longitude ?? meta?.lon;
    const site = {
      slug: slugify(slug) === slug ? slug : slugify(slug),
      name: meta?.name ?? slug,
      kind,
      latitude: latitude ?? null,
      longitude: longitude ?? null,
      labels: meta?.labels ?? {},
      contactMode: isIntermittent || kind === "vehicle" ? ("intermittent" as const) : ("continuous" as const),
      expectedOfflineWindows: windows,
    };
    const siteDir = path.join(dir, slug);
    for (const file of fs.readdirSync(siteDir).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      const name = file.replace(/\.ya?ml$/, "");
      try {
        const kubeconfig = fs.readFileSync(path.join(siteDir, file), "utf8");
        const clusterMeta = meta?.clusters?.find((c) => c.name === name);
        items.push({ site, cluster: { name, kubeconfig, labels: clusterMeta?.labels ?? {} } });
      } catch (err) {
        problems.push({
          file: path.join(slug, file),
          message: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
  return { items, problems };
}
