import { z } from "zod";
import type { BulkImportItem, OfflineWindow, SiteKind } from "./schemas";
import { SITE_KINDS, slugify } from "./schemas";

// Outpost's fleet inventory format: a directory of `<site>/<cluster>.yaml` kubeconfigs,
// plus an optional `manifest.json` (any inventory script can write one; the simulator
// does) that describes sites: name, kind, latitude/longitude, labels, contact mode,
// expected offline windows ("HH:MM" in a time zone). Other fields are ignored.
// Pure: the files come in as text (lib/fleet/import-dir.ts reads them from disk).

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

/** One kubeconfig file of the directory: `<site>/<file>`, its text or why it could not be read. */
export interface InventoryFile {
  site: string;
  file: string;
  text: string | Error;
}

/** Bulk import items from the manifest (if any) and the kubeconfig files, sites in name order. */
export function inventoryItems(
  manifestJson: string | null,
  files: readonly InventoryFile[],
): DirectoryImport {
  const problems: DirectoryImport["problems"] = [];
  let manifest: z.infer<typeof manifestSchema> | null = null;
  if (manifestJson !== null) {
    let raw: unknown = null;
    try {
      raw = JSON.parse(manifestJson);
    } catch {
      problems.push({ file: "manifest.json", message: "is not valid JSON" });
    }
    const parsed = manifestSchema.safeParse(raw);
    if (parsed.success) manifest = parsed.data;
    else if (raw !== null)
      problems.push({
        file: "manifest.json",
        message: parsed.error.issues[0]?.message ?? "invalid manifest",
      });
  }
  const siteMeta = new Map((manifest?.sites ?? []).map((s) => [s.slug, s]));
  const items: BulkImportItem[] = [];
  const sorted = [...files].sort((a, b) => a.site.localeCompare(b.site) || a.file.localeCompare(b.file));
  for (const entry of sorted) {
    if (!/\.ya?ml$/.test(entry.file)) continue;
    const slug = entry.site;
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
    if (entry.text instanceof Error) {
      problems.push({ file: `${slug}/${entry.file}`, message: entry.text.message });
      continue;
    }
    const name = entry.file.replace(/\.ya?ml$/, "");
    const clusterMeta = meta?.clusters?.find((c) => c.name === name);
    items.push({ site, cluster: { name, kubeconfig: entry.text, labels: clusterMeta?.labels ?? {} } });
  }
  return { items, problems };
}
