import "server-only";
import path from "node:path";
import { z } from "zod";

// Parsed once; every module reads configuration from here, never from process.env directly.
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  OUTPOST_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgresql://")
    .optional(),
  /** PostgreSQL connections per Outpost process (web and worker each have their own pool) */
  OUTPOST_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  OUTPOST_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64-encoded (openssl rand -base64 32)")
    .optional(),
  OUTPOST_SECRET_KEY_FILE: z.string().optional(),
  OUTPOST_PREVIOUS_SECRET_KEYS: z.string().optional(),
  OUTPOST_ALLOW_PRIVATE_NETWORKS: boolish,
  OUTPOST_ALLOW_LOOPBACK: boolish,
  OUTPOST_ADMIN_USERNAME: z.string().min(1).default("admin"),
  OUTPOST_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  OUTPOST_SESSION_HOURS: z.coerce.number().int().positive().default(12),
  OUTPOST_SECURE_COOKIES: boolish,
  OUTPOST_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  /**
   * reverse proxies whose X-Forwarded-For/-Proto/-Host count: unset (none), 1 (loopback and
   * private ranges), or a comma-separated list of addresses and CIDRs (10.0.0.5,fd00::/8)
   */
  OUTPOST_TRUST_PROXY: z
    .string()
    .optional()
    .refine(
      (v) =>
        v === undefined ||
        /^(|0|1|true|false|yes|no)$/i.test(v.trim()) ||
        v.split(",").every((w) => /^\s*[0-9a-fA-F:.]+(\/\d{1,3})?\s*$/.test(w)),
      "1, 0, or a comma-separated list of addresses/CIDRs",
    ),
  /** where users reach Outpost (https://outpost.example.com); Origin checks compare with it when set */
  OUTPOST_PUBLIC_URL: z.string().url("a URL like https://outpost.example.com").optional(),
  /** embedded: this web server also runs the background work (collector, …); off: web only, run `npm run worker` elsewhere */
  OUTPOST_WORKER: z.enum(["embedded", "inline", "off"]).optional(),
  /** deprecated alias of OUTPOST_WORKER (OUTPOST_WORKER wins when both are set) */
  OUTPOST_COLLECTOR: z.enum(["embedded", "off"]).optional(),
  OUTPOST_POLL_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(15),
  OUTPOST_COLLECTOR_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(32),
  /**
   * Sharded collection: each worker owns its share of 256 shards through lease rows,
   * renewed every third of this; a dead worker's shards are taken over within it.
   */
  OUTPOST_COLLECTOR_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(30),
  /** keep-alive: one TLS connection kept per cluster (less CPU); per-poll: closed after each poll (less memory) */
  OUTPOST_COLLECTOR_CONNECTIONS: z.enum(["keep-alive", "per-poll"]).default("keep-alive"),
  /** keep-alive: at most this many clusters keep their connection, the rest resume TLS sessions (unset: all) */
  OUTPOST_COLLECTOR_KEPT_CONNECTIONS: z.coerce.number().int().min(0).max(10_000_000).optional(),
  /** board temperature (°C) above which a node is "hot" when its site sets no threshold */
  OUTPOST_TEMP_WARN_CELSIUS: z.coerce.number().min(-50).max(200).default(80),
  /** days of contact history (reachability transitions, intermittent runs) kept; 0 keeps it forever */
  OUTPOST_CONTACT_HISTORY_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  /** days of audit log kept; 0 keeps it forever */
  OUTPOST_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** alerts: how often the evaluator runs (issue 9: default 15 s) */
  OUTPOST_ALERTS_INTERVAL_SECONDS: z.coerce.number().min(1).max(300).default(15),
  /** alerts: the temperature window ends this far behind the clock, so points that reach InfluxDB late still count (Telegraf flushes every 10 s) */
  OUTPOST_ALERTS_INGEST_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(10),
  /** alerts: first retry of a failed delivery after this, doubling up to 30 min, for up to 24 h */
  OUTPOST_ALERTS_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  OUTPOST_ALERTS_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(30 * 60_000),
  OUTPOST_ALERTS_DELIVERY_MAX_AGE_HOURS: z.coerce.number().min(0.001).max(168).default(24),
  /** alerts: the evaluator's lease and each delivery's claim; a dead worker's share is taken over after this */
  OUTPOST_ALERTS_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(30),
  /**
   * tests only: a directory of armed failpoints (lib/alerts/failpoints.ts). The first process to
   * reach an armed point stops itself there (SIGSTOP) so a test can kill -9 or resume it. Unset or empty: off.
   */
  OUTPOST_FAILPOINTS_DIR: z.string().optional(),
  /** how often the worker reads fleet-latest telemetry from each data source (one query per source per tick) */
  OUTPOST_TELEMETRY_TICK_SECONDS: z.coerce.number().min(0.2).max(300).default(10),
  /** incremental: the fleet list reads the fleet summary; rollup: rolls up every site per request (fallback, benchmarks) */
  OUTPOST_FLEET_SUMMARY: z.enum(["incremental", "rollup"]).default("incremental"),
  OUTPOST_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // ── deploy (lib/deploy) ──
  /** how often the rollout engine looks at running rollouts */
  OUTPOST_DEPLOY_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** how often a rolling-out target's workloads are checked */
  OUTPOST_DEPLOY_CHECK_MS: z.coerce.number().int().min(50).max(300_000).default(5000),
  /** cluster operations (preview, apply, check) at once in this process */
  OUTPOST_DEPLOY_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(16),
  /** cluster operations at once per site: a wind farm's turbines share one uplink */
  OUTPOST_DEPLOY_SITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** deadline of one request to a cluster; a hung cluster costs at most this per step */
  OUTPOST_DEPLOY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** how often applied deployments are dry-run again to detect drift (0 = never) */
  OUTPOST_DEPLOY_DRIFT_MINUTES: z.coerce.number().min(0).max(10_080).default(30),
  /** embeds: requests per minute per grant unless the grant sets its own */
  OUTPOST_EMBED_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
});

export type Env = z.infer<typeof schema> & {
  dataDir: string;
  databaseUrl: string;
  /**
   * whether and where this web server runs the worker host: OUTPOST_WORKER, else
   * OUTPOST_COLLECTOR, else embedded (a worker thread of the web server)
   */
  workerMode: "embedded" | "inline" | "off";
};

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid Outpost configuration:\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.OUTPOST_DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "outpost.db")}`;
  const workerMode = parsed.data.OUTPOST_WORKER ?? parsed.data.OUTPOST_COLLECTOR ?? "embedded";
  return { ...parsed.data, dataDir, databaseUrl, workerMode };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= load();
  return cached;
}

/** Tests change process.env between cases; production never calls this. */
export function resetEnvForTests(): void {
  cached = undefined;
}
