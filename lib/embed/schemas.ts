import { z } from "zod";
import { SITE_KINDS } from "@/lib/fleet/schemas";
import {
  DEFAULT_EXPIRY_DAYS,
  EMBED_KINDS,
  EMBED_MODES,
  EMBED_RANGES,
  EMBED_THEMES,
  isSiteEmbed,
  MAX_EXPIRY_MS,
  MAX_NOTE_LENGTH,
  MAX_ORIGINS,
  MAX_RATE_PER_MINUTE,
  MIN_EXPIRY_MS,
  MIN_RATE_PER_MINUTE,
  type SiteFilter,
} from "./model";
import { normalizeOrigin } from "./origins";

// Input contracts of grant management, shared by the route handlers and the
// Embed dialog (so the form shows the API's own words). No server imports.

const DAY_MS = 86_400_000;

export const siteFilterSchema = z
  .object({
    kind: z.enum(SITE_KINDS, { message: `one of ${SITE_KINDS.join(", ")}` }).optional(),
    /** k=v or k (has the label), like the control center's filter */
    label: z.string().trim().max(300, "at most 300 characters").optional(),
  })
  .strict()
  .transform(
    (f): SiteFilter => ({ ...(f.kind ? { kind: f.kind } : {}), ...(f.label ? { label: f.label } : {}) }),
  );

const originsSchema = z
  .array(z.string().max(300, "at most 300 characters"))
  .max(MAX_ORIGINS, `at most ${MAX_ORIGINS} origins`);

/** Normalised origins, or the issue of each bad one (checked with the other cross-field rules). */
function checkOrigins(list: readonly string[], ctx: z.RefinementCtx): string[] {
  const out: string[] = [];
  list.forEach((raw, i) => {
    if (raw.trim() === "") return;
    const r = normalizeOrigin(raw);
    if (r.ok) {
      if (!out.includes(r.origin)) out.push(r.origin);
    } else ctx.addIssue({ code: "custom", path: ["origins", i], message: r.message });
  });
  if (out.length === 0 && !list.some((o) => o.trim() !== ""))
    ctx.addIssue({
      code: "custom",
      path: ["origins"],
      message: "name at least one portal origin allowed to frame it",
    });
  return out;
}

export function defaultExpiry(now = Date.now()): Date {
  return new Date(now + DEFAULT_EXPIRY_DAYS * DAY_MS);
}

export const grantCreateSchema = z
  .object({
    kind: z.enum(EMBED_KINDS, { message: `one of ${EMBED_KINDS.join(", ")}` }),
    mode: z.enum(EMBED_MODES, { message: "link or signed" }).default("link"),
    /** the site (id or slug); null for fleet strips and signed grants over a filter */
    site: z.string().trim().min(1).max(100).nullable().default(null),
    filter: siteFilterSchema.prefault({}),
    /** turbine chart: which metric (e.g. power_kw) */
    metric: z.string().trim().min(1).max(255).nullable().default(null),
    ranges: z
      .array(z.enum(EMBED_RANGES, { message: `one of ${EMBED_RANGES.join(", ")}` }))
      .min(1, "allow at least one range")
      .default(["1h", "6h", "24h"])
      // Stored in the presets' order, once each.
      .transform((list) => EMBED_RANGES.filter((r) => list.includes(r))),
    defaultRange: z.enum(EMBED_RANGES, { message: `one of ${EMBED_RANGES.join(", ")}` }).default("1h"),
    origins: originsSchema,
    /** ISO time; default 90 days from now, at most one year */
    expiresAt: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === "") return defaultExpiry();
        const t = Date.parse(v);
        if (!Number.isFinite(t)) {
          ctx.addIssue({ code: "custom", message: "an ISO date or time, e.g. 2027-03-01" });
          return z.NEVER;
        }
        return new Date(t);
      }),
    note: z.string().trim().max(MAX_NOTE_LENGTH, `at most ${MAX_NOTE_LENGTH} characters`).default(""),
    rateLimitPerMinute: z
      .number({ message: "requests per minute" })
      .int("a whole number")
      .min(MIN_RATE_PER_MINUTE, `at least ${MIN_RATE_PER_MINUTE}`)
      .max(MAX_RATE_PER_MINUTE, `at most ${MAX_RATE_PER_MINUTE.toLocaleString("en-US")}`)
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    checkOrigins(v.origins, ctx);
    const now = Date.now();
    const t = v.expiresAt.getTime();
    if (t < now + MIN_EXPIRY_MS)
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "must be at least an hour from now" });
    // A day of slack so "one year from today" picked in a date field is accepted.
    if (t > now + MAX_EXPIRY_MS + DAY_MS)
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "at most one year from now" });
    if (!v.ranges.includes(v.defaultRange))
      ctx.addIssue({ code: "custom", path: ["defaultRange"], message: "must be one of the allowed ranges" });
    if (v.kind === "fleet-strip") {
      if (v.site !== null)
        ctx.addIssue({
          code: "custom",
          path: ["site"],
          message: "a fleet strip counts sites by filter, not one site",
        });
    } else if (isSiteEmbed(v.kind)) {
      if (v.site === null && v.mode === "link")
        ctx.addIssue({
          code: "custom",
          path: ["site"],
          message: "a link-mode embed shows one site: choose it (signed mode can let the portal pick)",
        });
      if (v.site !== null && (v.filter.kind || v.filter.label))
        ctx.addIssue({ code: "custom", path: ["filter"], message: "a one-site embed takes no filter" });
    }
    if (v.kind === "turbine" && !v.metric)
      ctx.addIssue({ code: "custom", path: ["metric"], message: "choose the turbine metric to show" });
    if (v.kind !== "turbine" && v.metric)
      ctx.addIssue({ code: "custom", path: ["metric"], message: "only the turbine chart takes a metric" });
  })
  .transform((v, ctx) => ({ ...v, origins: checkOrigins(v.origins, ctx) }));
export type GrantCreateInput = z.input<typeof grantCreateSchema>;
export type GrantCreate = z.output<typeof grantCreateSchema>;

export const grantListQuerySchema = z
  .object({
    state: z.enum(["active", "all"]).default("all"),
    site: z.string().max(100).optional(),
  })
  .strict();

/** What a viewer of an embed may choose: only the range (within the grant), size and theme. */
export const embedViewQuerySchema = z.object({
  range: z.string().max(20).optional(),
  theme: z.enum(EMBED_THEMES, { message: "light, dark or auto" }).default("auto"),
  /** frame size in px: about one point per pixel; rounded server-side */
  w: z.coerce.number().int().min(100).max(4_000).optional(),
  h: z.coerce.number().int().min(100).max(4_000).optional(),
});
export type EmbedViewQuery = z.output<typeof embedViewQuerySchema>;

export const embedDataQuerySchema = z.object({
  range: z.string().max(20).optional(),
  format: z.enum(["json", "csv"], { message: "json or csv" }).default("json"),
  width: z.coerce.number().int().min(100).max(4_000).optional(),
});

/**
 * Query keys that would change what a grant fixed: refused as "locked" (403)
 * rather than ignored, so a portal developer learns at once that the site,
 * chart and time window are not theirs to choose.
 */
export const LOCKED_QUERY_KEYS = [
  "site",
  "siteId",
  "slug",
  "kind",
  "chart",
  "view",
  "metric",
  "field",
  "label",
  "filter",
  "from",
  "to",
  "grant",
] as const;

/** The Embed dialog's live preview: the would-be grant's view, before it exists. */
export const previewQuerySchema = z
  .object({
    kind: z.enum(EMBED_KINDS, { message: `one of ${EMBED_KINDS.join(", ")}` }),
    site: z.string().trim().min(1).max(100).optional(),
    metric: z.string().trim().min(1).max(255).optional(),
    filterKind: z.enum(SITE_KINDS).optional(),
    label: z.string().trim().max(300).optional(),
    range: z.enum(EMBED_RANGES).default("1h"),
    ranges: z
      .string()
      .max(100)
      .optional()
      .transform((v) => (v ? EMBED_RANGES.filter((r) => v.split(",").includes(r)) : undefined)),
    theme: z.enum(EMBED_THEMES).default("auto"),
    w: z.coerce.number().int().min(100).max(4_000).optional(),
    h: z.coerce.number().int().min(100).max(4_000).optional(),
    tz: z.string().max(64).optional(),
    fragment: z.enum(["1"]).optional(),
  })
  .strict();
export type PreviewQuery = z.output<typeof previewQuerySchema>;
