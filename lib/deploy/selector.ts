// Which clusters a deployment goes to: by site, site kind, site or cluster
// labels, named clusters, or everything. Terms combine with AND, the values of
// one term with OR. The same selector comes from the UI (chosen in the fleet),
// the API and the CLI's `--to` text. Pure.
import { z } from "zod";

const labels = z.record(z.string().min(1).max(253), z.string().max(63));

export const targetSelectorSchema = z
  .object({
    all: z.boolean().optional(),
    /** site slugs or ids */
    sites: z.array(z.string().min(1)).max(10_000).optional(),
    kinds: z.array(z.string().min(1)).max(20).optional(),
    siteLabels: labels.optional(),
    clusterLabels: labels.optional(),
    /** cluster ids, or "site-slug/cluster-name" */
    clusters: z.array(z.string().min(1)).max(10_000).optional(),
  })
  .strict()
  .refine(
    (s) =>
      s.all === true ||
      (s.sites?.length ?? 0) > 0 ||
      (s.kinds?.length ?? 0) > 0 ||
      Object.keys(s.siteLabels ?? {}).length > 0 ||
      Object.keys(s.clusterLabels ?? {}).length > 0 ||
      (s.clusters?.length ?? 0) > 0,
    { message: "choose targets: all, sites, kinds, labels or clusters" },
  );

export type TargetSelector = z.infer<typeof targetSelectorSchema>;

export interface SelectableSite {
  id: string;
  slug: string;
  kind: string;
  labels: Record<string, string>;
}

export interface SelectableCluster {
  id: string;
  name: string;
  labels: Record<string, string>;
}

function labelsMatch(want: Record<string, string> | undefined, have: Record<string, string>): boolean {
  return Object.entries(want ?? {}).every(([k, v]) => have[k] === v);
}

export function matchesSelector(
  sel: TargetSelector,
  site: SelectableSite,
  cluster: SelectableCluster,
): boolean {
  if (sel.sites?.length && !sel.sites.includes(site.slug) && !sel.sites.includes(site.id)) return false;
  if (sel.kinds?.length && !sel.kinds.includes(site.kind)) return false;
  if (!labelsMatch(sel.siteLabels, site.labels)) return false;
  if (!labelsMatch(sel.clusterLabels, cluster.labels)) return false;
  if (
    sel.clusters?.length &&
    !sel.clusters.includes(cluster.id) &&
    !sel.clusters.includes(`${site.slug}/${cluster.name}`)
  )
    return false;
  return true;
}

export class SelectorSyntaxError extends Error {}

/**
 * The CLI's `--to`: comma-separated terms, all of which must hold.
 *   all | site=a|b | kind=store|vehicle | cluster=site/name|… | key=value (site label) | cluster.key=value
 */
export function parseSelectorText(text: string): TargetSelector {
  const sel: TargetSelector = {};
  const terms = text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (terms.length === 0)
    throw new SelectorSyntaxError("--to is empty: say all, site=…, kind=…, or label=value");
  for (const term of terms) {
    if (term === "all") {
      sel.all = true;
      continue;
    }
    const eq = term.indexOf("=");
    if (eq <= 0)
      throw new SelectorSyntaxError(`"${term}" is not a selector term (expected key=value or all)`);
    const key = term.slice(0, eq).trim();
    const value = term.slice(eq + 1).trim();
    if (!value) throw new SelectorSyntaxError(`"${term}" has no value`);
    const values = value
      .split("|")
      .map((v) => v.trim())
      .filter(Boolean);
    if (key === "site") sel.sites = [...(sel.sites ?? []), ...values];
    else if (key === "kind") sel.kinds = [...(sel.kinds ?? []), ...values];
    else if (key === "cluster") sel.clusters = [...(sel.clusters ?? []), ...values];
    else if (key.startsWith("cluster."))
      sel.clusterLabels = { ...(sel.clusterLabels ?? {}), [key.slice(8)]: value };
    else sel.siteLabels = { ...(sel.siteLabels ?? {}), [key]: value };
  }
  const parsed = targetSelectorSchema.safeParse(sel);
  if (!parsed.success) throw new SelectorSyntaxError(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** The selector in the CLI's words, for lists and audit records. */
export function describeSelector(sel: TargetSelector): string {
  const parts: string[] = [];
  if (sel.all) parts.push("all");
  if (sel.sites?.length)
    parts.push(sel.sites.length > 5 ? `${sel.sites.length} sites` : `site=${sel.sites.join("|")}`);
  if (sel.kinds?.length) parts.push(`kind=${sel.kinds.join("|")}`);
  for (const [k, v] of Object.entries(sel.siteLabels ?? {})) parts.push(`${k}=${v}`);
  for (const [k, v] of Object.entries(sel.clusterLabels ?? {})) parts.push(`cluster.${k}=${v}`);
  if (sel.clusters?.length)
    parts.push(
      sel.clusters.length > 5 ? `${sel.clusters.length} clusters` : `cluster=${sel.clusters.join("|")}`,
    );
  return parts.join(",");
}
