import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { BulkImportItem, OfflineWindow, SiteKind } from "./schemas";
import { SITE_KINDS, slugify } from "./schemas";

// Reads a fleet directory: `<site>/<cluster>.yaml` kubeconfigs, plus an optional
// `manifest.json` (any inventory script can write one; the simulator does) that
// describes sites: name, kind, latitude/longitude, labels, contact mode, expected
// offline windows ("HH:MM" in a time zone). Other fields are ignored.

const manifestWindow = z.object({
  start: z.string(),
  end: z.string(),
  timeZone: z.string().optional(),
});

const manifestSchema = z.object({
  sites: z.array(
    z
      .object({
        slug: z.string(),
        name: z.string().optional(),
        kind: z.string().optional(),
        latitude: z.number().optional(),
        longitude: z.number().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        contactMode: z.enum(["continuous", "intermittent"]).optional(),
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

function toWindows(windows: z.infer<typeof manifestWindow>[]): OfflineWindow[] {
  return windows.map((w) => ({ start: w.start, end: w.end, timeZone: w.timeZone ?? "UTC" }));
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
    const windows = toWindows(meta?.expectedOfflineWindows ?? []);
    const site = {
      slug: slugify(slug) === slug ? slug : slugify(slug),
      name: meta?.name ?? slug,
      kind,
      latitude: meta?.latitude ?? null,
      longitude: meta?.longitude ?? null,
      labels: meta?.labels ?? {},
      contactMode:
        meta?.contactMode ??
        (windows.length > 0 || kind === "vehicle" ? ("intermittent" as const) : ("continuous" as const)),
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
