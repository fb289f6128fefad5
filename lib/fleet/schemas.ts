import { z } from "zod";
import { SITE_STATUSES, type SiteStatus } from "@/lib/health/model";
import { nameSchema, safeText } from "@/lib/validation/text";
import { FLEET_QUERY_LIMITS } from "./limits";

// Input contracts shared by the route handlers, the CLI and the forms (so a
// form shows the same message the API would answer). No server imports here.

import { SITE_KINDS } from "./kinds";

export { SITE_KIND_LABELS, SITE_KINDS, type SiteKind } from "./kinds";

export const CONTACT_MODES = ["continuous", "intermittent"] as const;

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export const labelsSchema = z
  .record(
    z
      .string()
      .regex(LABEL_KEY, "label keys look like Kubernetes label keys (e.g. region or example.com/tier)"),
    safeText(z.string().normalize("NFC").max(253, "label values are at most 253 characters")),
  )
  .refine((l) => Object.keys(l).length <= 64, "at most 64 labels");

export const slugSchema = z
  .string()
  .min(1, "is required")
  .max(63, "at most 63 characters")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    "lowercase letters, digits and dashes; starts and ends with a letter or digit",
  );

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time as HH:MM (24 h)");

export const offlineWindowSchema = z.object({
  start: hhmm,
  end: hhmm,
  timeZone: z
    .string()
    .refine(isTimeZone, "unknown time zone (use an IANA name like Europe/Madrid)")
    .default("UTC"),
});
export type OfflineWindow = z.infer<typeof offlineWindowSchema>;

export const siteInputSchema = z
  .object({
    name: nameSchema(100),
    slug: slugSchema.optional(),
    kind: z.enum(SITE_KINDS, { message: `must be one of ${SITE_KINDS.join(", ")}` }),
    latitude: z.number().min(-90, "between -90 and 90").max(90, "between -90 and 90").nullable().optional(),
    longitude: z
      .number()
      .min(-180, "between -180 and 180")
      .max(180, "between -180 and 180")
      .nullable()
      .optional(),
    labels: labelsSchema.default({}),
    contactMode: z.enum(CONTACT_MODES).default("continuous"),
    expectedOfflineWindows: z.array(offlineWindowSchema).max(12, "at most 12 windows").default([]),
    maxSilenceMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14, "at most 14 days")
      .nullable()
      .optional(),
    /** "hot" above this board temperature (°C); null = the fleet default (OUTPOST_TEMP_WARN_CELSIUS) */
    tempWarnCelsius: z.number().min(-40, "at least -40 °C").max(150, "at most 150 °C").nullable().optional(),
    /** telemetry data source; null = the default one */
    dataSourceId: z.string().min(1).max(64).nullable().optional(),
  })
  .refine((s) => (s.latitude == null) === (s.longitude == null), {
    message: "give both latitude and longitude, or neither",
    path: ["longitude"],
  });
export type SiteInput = z.input<typeof siteInputSchema>;

export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return s || "site";
}

export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(63, "at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "lowercase letters, digits, dots and dashes");

export const kubeconfigInputSchema = z.object({
  kubeconfig: z
    .string()
    .min(1, "paste or upload a kubeconfig")
    .max(256 * 1024, "at most 256 KiB"),
  context: z.string().min(1).optional(),
  serverOverride: z.string().trim().min(1).optional(),
});

export const clusterRegisterSchema = kubeconfigInputSchema.extend({
  siteId: z.string().min(1, "choose a site"),
  name: clusterNameSchema,
  labels: labelsSchema.default({}),
  /** edge clusters are often offline when registered: saving without a successful test is allowed on request */
  allowUnreachable: z.boolean().default(false),
});
export type ClusterRegisterInput = z.input<typeof clusterRegisterSchema>;

export const bulkImportItemSchema = z.object({
  site: siteInputSchema.and(z.object({ slug: slugSchema })),
  cluster: kubeconfigInputSchema.extend({ name: clusterNameSchema, labels: labelsSchema.default({}) }),
});
export const bulkImportSchema = z.object({
  items: z
    .array(bulkImportItemSchema)
    .min(1, "nothing to import")
    .max(2_000, "at most 2,000 items per request"),
  testConnections: z.boolean().default(false),
});
export type BulkImportItem = z.input<typeof bulkImportItemSchema>;

export { FLEET_QUERY_LIMITS };

export const fleetQuerySchema = z.object({
  status: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter(Boolean) : []))
    .pipe(z.array(z.enum(SITE_STATUSES as [SiteStatus, ...SiteStatus[]]))),
  kind: z.enum(SITE_KINDS).optional(),
  /** k=v or k (exists) */
  label: z.string().max(FLEET_QUERY_LIMITS.label).optional(),
  q: z.string().trim().max(FLEET_QUERY_LIMITS.q).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(FLEET_QUERY_LIMITS.pageMax)
    .default(FLEET_QUERY_LIMITS.pageDefault),
});
export type FleetQuery = z.output<typeof fleetQuerySchema>;
