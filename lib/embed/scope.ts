import type { EmbedRange, RefusalReason, SiteFilter } from "./model";

// What a grant covers and how a signed token's per-viewer parameters may
// narrow it. Parameters only ever narrow: a token can pick one store out of a
// "kind=store" grant, never a vehicle, never a second label, never a range the
// grant does not allow. Pure: the server resolves sites, this decides.

export interface ViewerParams {
  site?: string;
  kind?: SiteFilter["kind"];
  label?: string;
  range?: EmbedRange;
}

export interface ScopeRefusal {
  reason: Extract<RefusalReason, "scope" | "range">;
  message: string;
}

/** The grant's filter with the token's additions; refused where they would change what the grant fixed. */
export function narrowFilter(grant: SiteFilter, params: ViewerParams): SiteFilter | ScopeRefusal {
  if (grant.kind && params.kind && params.kind !== grant.kind)
    return {
      reason: "scope",
      message: `this embed covers ${grant.kind} sites only, not ${params.kind}`,
    };
  if (grant.label && params.label && params.label !== grant.label)
    return {
      reason: "scope",
      message: `this embed covers sites labelled ${grant.label} only`,
    };
  const kind = grant.kind ?? params.kind;
  const label = grant.label ?? params.label;
  return { ...(kind ? { kind } : {}), ...(label ? { label } : {}) };
}

export type SiteTarget =
  /** the grant's own site */
  | { type: "fixed"; siteId: string }
  /** a site the token names, to be checked against the grant's filter once resolved */
  | { type: "pick"; site: string; filter: SiteFilter };

/**
 * Which site a site-level embed shows. A grant bound to one site shows that
 * site (a token may repeat it, by id or slug, but not name another); a
 * signed grant over a filter shows the site its token names.
 */
export function siteTarget(
  grant: { site: { id: string; slug: string } | null; filter: SiteFilter },
  params: ViewerParams,
): SiteTarget | ScopeRefusal {
  if (grant.site) {
    if (params.site !== undefined && params.site !== grant.site.id && params.site !== grant.site.slug)
      return { reason: "scope", message: `this embed covers site ${grant.site.slug} only` };
    if (params.kind !== undefined || params.label !== undefined)
      return { reason: "scope", message: "kind and label filters do not apply to a one-site embed" };
    return { type: "fixed", siteId: grant.site.id };
  }
  if (params.site === undefined)
    return { reason: "scope", message: "the signed token must name a site (params.site)" };
  const filter = narrowFilter(grant.filter, params);
  if ("reason" in filter) return filter;
  return { type: "pick", site: params.site, filter };
}

/**
 * The range to show: the token's pinned one, else the viewer's choice, else
 * the grant's default; always one the grant allows.
 */
export function chooseRange(
  grant: { ranges: readonly EmbedRange[]; defaultRange: EmbedRange },
  pinned: EmbedRange | undefined,
  requested: string | undefined,
): EmbedRange | ScopeRefusal {
  const allowed = grant.ranges.join(", ");
  if (pinned !== undefined && !grant.ranges.includes(pinned))
    return { reason: "range", message: `the token's range ${pinned} is not allowed (allowed: ${allowed})` };
  if (requested !== undefined && requested !== "") {
    if (pinned !== undefined && requested !== pinned)
      return { reason: "range", message: `the range is fixed to ${pinned} for this viewer` };
    if (!(grant.ranges as readonly string[]).includes(requested))
      return {
        reason: "range",
        message: `range ${requested.slice(0, 20)} is not allowed by this embed (allowed: ${allowed})`,
      };
    return requested as EmbedRange;
  }
  return pinned ?? grant.defaultRange;
}
