import { z } from "zod";
import { isValidIdentifier } from "@/lib/influx/influxql";
import { nameSchema } from "@/lib/validation/text";
import { MAX_CUSTOM_RANGE_MS, MIN_CUSTOM_RANGE_MS, TELEMETRY_RANGES } from "./ranges";

// Input contracts for data sources, schema mappings and telemetry queries,
// shared by route handlers and forms. No server imports here.

const ident = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(255, "at most 255 characters")
    .refine((v) => v === "" || isValidIdentifier(v), "no control characters or line breaks");

export const JOIN_MODES = ["tags", "host"] as const;
export type JoinMode = (typeof JOIN_MODES)[number];

export const DEFAULT_TURBINE_FIELDS = [
  "power_kw",
  "rotor_rpm",
  "generator_rpm",
  "pitch_deg",
  "yaw_deg",
  "wind_speed_ms",
  "nacelle_temp_c",
] as const;

/**
 * Where temperature and connectivity live in InfluxDB and how points find
 * their site, cluster and node. `{}` means Telegraf's defaults (the inputs.temp
 * and inputs.ping plugins with `site`/`cluster` global tags).
 */
export const mappingSchema = z
  .object({
    /** tags: points carry site/cluster tags; host: only `host`, joined to nodes the collector saw */
    join: z.enum(JOIN_MODES).default("tags"),
    siteTag: ident("site tag").default("site"),
    /** which site attribute the site tag carries */
    siteValue: z.enum(["slug", "name"]).default("slug"),
    clusterTag: ident("cluster tag").nullable().default("cluster"),
    hostTag: ident("host tag").default("host"),
    /** how often sensors report; charts never bucket finer than twice this */
    sampleSeconds: z.number().int().min(1).max(3_600).default(10),
    temperature: z
      .object({
        measurement: ident("measurement").default("temp"),
        field: ident("field").default("temp"),
        sensorTag: ident("sensor tag").nullable().default("sensor"),
      })
      .strict()
      .prefault({}),
    connectivity: z
      .object({
        measurement: ident("measurement").default("ping"),
        rttField: ident("RTT field").default("average_response_ms"),
        lossField: ident("loss field").default("percent_packet_loss"),
        resultField: ident("result field").nullable().default("result_code"),
      })
      .strict()
      .nullable()
      .prefault({}),
    turbine: z
      .object({
        measurement: ident("measurement").default("turbine"),
        fields: z
          .array(ident("field"))
          .max(12, "at most 12 fields")
          .default([...DEFAULT_TURBINE_FIELDS]),
      })
      .strict()
      .nullable()
      .prefault({}),
  })
  .strict();
export type Mapping = z.output<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

export const DEFAULT_MAPPING: Mapping = mappingSchema.parse({});

export const AUTH_KINDS = ["none", "basic", "token"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

export const dataSourceInputSchema = z
  .object({
    name: nameSchema(100),
    url: z
      .string()
      .trim()
      .min(1, "is required")
      .max(2_000, "at most 2,000 characters")
      .refine((v) => {
        try {
          const u = new URL(v);
          return u.protocol === "http:" || u.protocol === "https:";
        } catch {
          return false;
        }
      }, "an http:// or https:// URL, e.g. http://influx.example:8086")
      .refine((v) => {
        try {
          const u = new URL(v);
          return u.username === "" && u.password === "";
        } catch {
          return true;
        }
      }, "no user:password@ in the URL; use the authentication fields (the secret is stored encrypted)"),
    database: z
      .string()
      .trim()
      .min(1, "is required")
      .max(255, "at most 255 characters")
      .refine((v) => v === "" || isValidIdentifier(v), "no control characters"),
    retentionPolicy: z.preprocess(
      emptyToNull,
      z.string().trim().max(255).refine(isValidIdentifier, "no control characters").nullable().default(null),
    ),
    authKind: z.enum(AUTH_KINDS, { message: "none, basic or token" }).default("none"),
    username: z.preprocess(emptyToNull, z.string().trim().max(255).nullable().default(null)),
    /** password (basic) or token; omitted on update keeps the stored one */
    secret: z.string().max(4_096, "at most 4,096 characters").optional(),
    timeoutMs: z.number().int().min(500, "at least 500 ms").max(120_000, "at most 120 s").default(10_000),
    isDefault: z.boolean().default(false),
    mapping: mappingSchema.prefault({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.authKind === "basic" && !v.username) {
      ctx.addIssue({ code: "custom", path: ["username"], message: "is required for basic authentication" });
    }
  });
export type DataSourceInput = z.input<typeof dataSourceInputSchema>;
export type DataSourceParsed = z.output<typeof dataSourceInputSchema>;

/** Testing a configuration before saving: the form's values, plus the id when editing (reuses the stored secret). */
export const dataSourceTestSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    config: dataSourceInputSchema,
  })
  .strict();

// ---------------------------------------------------------------------------
// Telemetry queries

export {
  MAX_CUSTOM_RANGE_MS,
  MIN_CUSTOM_RANGE_MS,
  RANGE_MS,
  TELEMETRY_RANGES,
  type TelemetryRange,
} from "./ranges";

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * Epoch milliseconds, or an ISO 8601 date/time (a time needs its zone). Strict on
 * purpose: Date.parse reads "hello 1" as the year 2001 and "2025-02-30" as March 2nd.
 */
export function parseInstant(text: string): number | null {
  if (/^\d{10,16}$/.test(text)) return Number(text);
  const m = text.match(ISO_INSTANT);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** ISO time or epoch milliseconds. */
const instant = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const ms = parseInstant(v);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: "an ISO time (2025-01-15T12:00:00Z) or epoch milliseconds" });
      return z.NEVER;
    }
    return ms;
  });

/** Kept in step with SITE_CHART_VIEWS in ./site-chart-types (that file is zod-free for the browser). */
const CHART_VIEWS = ["temperature", "connectivity", "turbine", "latest"] as const;
const MAX_HOSTS_PER_REQUEST = 12;

/** `a,b,c` → distinct node names; empty → none. */
const hostList = z
  .string()
  .max(4_000, "at most 4,000 characters")
  .transform((v) => [
    ...new Set(
      v
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(
        z
          .string()
          .max(255, "a node name has at most 255 characters")
          .refine(isValidIdentifier, "no control characters"),
      )
      .max(MAX_HOSTS_PER_REQUEST, `at most ${MAX_HOSTS_PER_REQUEST} nodes`),
  );

export const siteTelemetryQuerySchema = z
  .object({
    /** which chart: one request per view on screen */
    view: z.enum(CHART_VIEWS, { message: `one of ${CHART_VIEWS.join(", ")}` }).default("temperature"),
    /** nodes to draw lines for (temperature, turbine) or RTT lines for (connectivity) */
    hosts: hostList.optional(),
    /** turbine metric (a field of the mapping); default its first */
    field: z.string().trim().min(1).max(255).refine(isValidIdentifier, "no control characters").optional(),
    /** connectivity: also send round-trip lines */
    rtt: z
      .enum(["0", "1"], { message: "0 or 1" })
      .transform((v) => v === "1")
      .optional(),
    range: z.enum(TELEMETRY_RANGES, { message: `one of ${TELEMETRY_RANGES.join(", ")}` }).default("1h"),
    from: instant.optional(),
    to: instant.optional(),
    /** chart width in px: about one bucket per pixel */
    width: z.coerce
      .number({ message: "chart width in pixels" })
      .int("a whole number of pixels")
      .min(100, "at least 100 px")
      .max(4_000, "at most 4,000 px")
      .default(1_000),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.range !== "custom") {
      if (q.from !== undefined || q.to !== undefined) {
        ctx.addIssue({ code: "custom", path: ["range"], message: "from/to need range=custom" });
      }
      return;
    }
    if (q.from === undefined)
      ctx.addIssue({ code: "custom", path: ["from"], message: "is required for range=custom" });
    if (q.to === undefined)
      ctx.addIssue({ code: "custom", path: ["to"], message: "is required for range=custom" });
    if (q.from === undefined || q.to === undefined) return;
    if (q.to - q.from < MIN_CUSTOM_RANGE_MS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be at least 1 minute after from" });
    } else if (q.to - q.from > MAX_CUSTOM_RANGE_MS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "the range may span at most 90 days" });
    }
  });
export type SiteTelemetryQuery = z.output<typeof siteTelemetryQuerySchema>;

export const hottestQuerySchema = z
  .object({
    limit: z.coerce
      .number({ message: "a number" })
      .int("a whole number")
      .min(1, "at least 1")
      .max(100, "at most 100")
      .default(10),
  })
  .strict();
