import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Tx, transaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import type { DataSource } from "@/lib/generated/prisma/client";
import {
  closeAgents,
  type InfluxAuth,
  type InfluxTarget,
  influxPing,
  influxQuery,
} from "@/lib/influx/client";
import { dataSourceUrlPolicy } from "@/lib/net/policy";
import { checkUrl } from "@/lib/net/url-policy";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import { previewStatements } from "./queries";
import {
  type AuthKind,
  type DataSourceInput,
  type DataSourceParsed,
  DEFAULT_MAPPING,
  dataSourceInputSchema,
  type Mapping,
  mappingSchema,
} from "./schemas";
import type { DataSourceTestResult, DataSourceView, MappingPreview } from "./types";

// Data sources: where telemetry lives. Secrets are encrypted at rest and never
// leave the server (views say hasSecret). There is always exactly one default
// while any data source exists: the first becomes it, deleting it promotes another.

type Row = DataSource & { _count?: { sites: number } };

export function parseMapping(text: string | null | undefined): Mapping {
  if (!text) return DEFAULT_MAPPING;
  try {
    const parsed = mappingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_MAPPING;
  } catch {
    return DEFAULT_MAPPING;
  }
}

function toView(row: Row): DataSourceView {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    database: row.database,
    retentionPolicy: row.retentionPolicy,
    authKind: (["none", "basic", "token"].includes(row.authKind) ? row.authKind : "none") as AuthKind,
    username: row.username,
    hasSecret: row.secretEnc !== null,
    timeoutMs: row.timeoutMs,
    isDefault: row.isDefault,
    mapping: parseMapping(row.mapping),
    siteCount: row._count?.sites ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function authFor(kind: string, username: string | null, secret: string | null): InfluxAuth {
  if (kind === "basic") return { kind: "basic", username: username ?? "", password: secret ?? "" };
  if (kind === "token") return { kind: "token", token: secret ?? "" };
  return { kind: "none" };
}

/** How the read path talks to a stored data source. The key changes with every edit, which renews its sockets. */
export function targetFor(row: DataSource): InfluxTarget {
  let secret: string | null = null;
  if (row.secretEnc) {
    try {
      secret = decryptSecret(row.secretEnc);
    } catch {
      // A rotated-away key: queries will fail as "credentials rejected", which is what the admin must fix.
      secret = null;
    }
  }
  return {
    key: `${row.id}@${row.updatedAt.getTime()}`,
    url: row.url,
    database: row.database,
    retentionPolicy: row.retentionPolicy,
    auth: authFor(row.authKind, row.username, secret),
    timeoutMs: row.timeoutMs,
  };
}

const withCount = { _count: { select: { sites: true } } } as const;

export async function listDataSources(): Promise<DataSourceView[]> {
  const rows = await db().dataSource.findMany({
    include: withCount,
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
  });
  return rows.map(toView);
}

export async function getDataSource(id: string): Promise<DataSourceView | null> {
  const row = await db().dataSource.findUnique({ where: { id }, include: withCount });
  return row ? toView(row) : null;
}

/** Every stored source, for the read path (few rows; secrets decrypted only in targetFor). */
export async function loadDataSourceRows(): Promise<DataSource[]> {
  return db().dataSource.findMany();
}

function validation(path: string, message: string): AppError {
  return new AppError("validation_failed", `${path}: ${message}`, { issues: [{ path, message }] });
}

async function checkPolicy(url: string): Promise<void> {
  // Throws url_refused (422) naming the field, like cluster registration does.
  await checkUrl(url, dataSourceUrlPolicy(), { field: "url" });
}

async function assertNameFree(name: string, exceptId?: string): Promise<void> {
  const other = await db().dataSource.findUnique({ where: { name } });
  if (other && other.id !== exceptId) {
    throw new AppError("conflict", `A data source named "${name}" already exists`, {
      issues: [{ path: "name", message: "already taken" }],
    });
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The one rule for reusing a stored password or token when the form omits it: only
 * for the same kind of auth, the same user and the same origin (scheme, host, port).
 * Otherwise an admin could point a saved source elsewhere and have Outpost send
 * the stored secret to a server of their choosing.
 */
function storedSecretFor(input: DataSourceParsed, previous: DataSource): string | null {
  if (!previous.secretEnc || previous.authKind !== input.authKind) return null;
  const what = input.authKind === "basic" ? "password" : "token";
  if (originOf(previous.url) !== originOf(input.url)) {
    throw validation(
      "secret",
      `enter the ${what} again: the URL now points at ${originOf(input.url) ?? "another server"} (was ${originOf(previous.url)}), and the stored ${what} is only ever sent to the server it was entered for`,
    );
  }
  if (input.authKind === "basic" && (previous.username ?? "") !== (input.username ?? "")) {
    throw validation("secret", "enter the password again: the username changed");
  }
  return previous.secretEnc;
}

function secretFields(
  input: DataSourceParsed,
  previous: DataSource | null,
): { username: string | null; secretEnc: string | null } {
  if (input.authKind === "none") return { username: null, secretEnc: null };
  const secret = input.secret;
  const username = input.authKind === "basic" ? input.username : null;
  if (secret === undefined || secret === "") {
    // Omitted on update: keep the stored one where the rule allows it.
    const stored = previous ? storedSecretFor(input, previous) : null;
    if (stored) return { username, secretEnc: stored };
    throw validation("secret", input.authKind === "basic" ? "a password is required" : "a token is required");
  }
  return { username, secretEnc: encryptSecret(secret) };
}

/**
 * A write that may change which source is the default. The database allows one
 * default (a partial unique index): of two requests making different sources
 * the default at the same moment, the later one is told to retry, not a 500.
 */
function defaultChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(fn).catch((err: unknown) => {
    if (isUniqueViolation(err, "DataSource_one_default_key", ["isDefault"])) {
      throw new AppError("conflict", "Another data source became the default at the same moment; try again");
    }
    throw err;
  });
}

export async function createDataSource(raw: DataSourceInput): Promise<DataSourceView> {
  const input = dataSourceInputSchema.parse(raw);
  await checkPolicy(input.url);
  await assertNameFree(input.name);
  const auth = secretFields(input, null);
  const row = await defaultChange(async (tx) => {
    const isFirst = (await tx.dataSource.count()) === 0;
    const isDefault = input.isDefault || isFirst;
    if (isDefault) await tx.dataSource.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    return tx.dataSource.create({
      data: {
        name: input.name,
        url: input.url,
        database: input.database,
        retentionPolicy: input.retentionPolicy,
        authKind: input.authKind,
        ...auth,
        timeoutMs: input.timeoutMs,
        isDefault,
        mapping: JSON.stringify(input.mapping),
      },
      include: withCount,
    });
  });
  return toView(row);
}

export async function updateDataSource(id: string, raw: DataSourceInput): Promise<DataSourceView> {
  const input = dataSourceInputSchema.parse(raw);
  const existing = await db().dataSource.findUnique({ where: { id } });
  if (!existing) throw new AppError("not_found", "Data source not found");
  await checkPolicy(input.url);
  await assertNameFree(input.name, id);
  if (existing.isDefault && !input.isDefault) {
    throw validation("isDefault", "make another data source the default instead; one is always the default");
  }
  const auth = secretFields(input, existing);
  const row = await defaultChange(async (tx) => {
    if (input.isDefault && !existing.isDefault) {
      await tx.dataSource.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    }
    return tx.dataSource.update({
      where: { id },
      data: {
        name: input.name,
        url: input.url,
        database: input.database,
        retentionPolicy: input.retentionPolicy,
        authKind: input.authKind,
        ...auth,
        timeoutMs: input.timeoutMs,
        isDefault: input.isDefault,
        mapping: JSON.stringify(input.mapping),
      },
      include: withCount,
    });
  });
  closeAgents(id);
  return toView(row);
}

/** Deletes a source; its sites fall back to the default. Deleting the default promotes the oldest other. */
export async function deleteDataSource(id: string): Promise<{ promotedId: string | null }> {
  const promotedId = await transaction(async (tx) => {
    const existing = await tx.dataSource.findUnique({ where: { id } });
    if (!existing) throw new AppError("not_found", "Data source not found");
    await tx.dataSource.delete({ where: { id } });
    if (!existing.isDefault) return null;
    const next = await tx.dataSource.findFirst({ orderBy: { createdAt: "asc" } });
    if (!next) return null;
    await tx.dataSource.update({ where: { id: next.id }, data: { isDefault: true } });
    return next.id;
  });
  closeAgents(id);
  return { promotedId };
}

export const DEMO_DATA_SOURCE_NAME = "Demo InfluxDB";

/**
 * Registers the demo's local influxd as the default data source. Idempotent:
 * a second call with the same values changes nothing, a new port is updated in place.
 */
export async function ensureDemoDataSource(url: string, database: string): Promise<DataSourceView> {
  const existing = await db().dataSource.findUnique({ where: { name: DEMO_DATA_SOURCE_NAME } });
  if (!existing) return createDataSource({ name: DEMO_DATA_SOURCE_NAME, url, database, isDefault: true });
  const hasDefault = (await db().dataSource.count({ where: { isDefault: true } })) > 0;
  if (existing.url === url && existing.database === database && (existing.isDefault || hasDefault)) {
    return toView(
      await db().dataSource.findUniqueOrThrow({ where: { id: existing.id }, include: withCount }),
    );
  }
  return updateDataSource(existing.id, {
    name: existing.name,
    url,
    database,
    retentionPolicy: existing.retentionPolicy,
    authKind: "none",
    timeoutMs: existing.timeoutMs,
    isDefault: existing.isDefault || !hasDefault,
    mapping: parseMapping(existing.mapping),
  });
}

// ---------------------------------------------------------------------------
// Connection test and mapping preview

export const PREVIEW_WINDOW_MS = 3_600_000;
const SAMPLE_COUNT = 5;

/**
 * Tries a configuration without saving it: /ping (version), SHOW DATABASES,
 * SHOW MEASUREMENTS and what the mapping finds in the last hour. With `id`,
 * an omitted secret means the stored one.
 */
export async function testDataSource(raw: DataSourceInput, id?: string): Promise<DataSourceTestResult> {
  const input = dataSourceInputSchema.parse(raw);
  // A URL the policy refuses is bad input (422 naming url), as when saving: never a "failed test".
  await checkPolicy(input.url);
  let secret = input.secret ?? null;
  if (!secret && id && input.authKind !== "none") {
    const stored = await db().dataSource.findUnique({ where: { id } });
    if (!stored) throw new AppError("not_found", "Data source not found");
    const secretEnc = storedSecretFor(input, stored);
    if (secretEnc) secret = decryptSecret(secretEnc);
  }
  const poolKey = `test-${randomUUID()}`;
  const target: InfluxTarget = {
    key: poolKey,
    url: input.url,
    database: input.database,
    retentionPolicy: input.retentionPolicy,
    auth: authFor(input.authKind, input.username, secret),
    timeoutMs: input.timeoutMs,
  };
  const result: DataSourceTestResult = {
    isOk: false,
    ping: { isOk: false, reason: "unreachable", message: "not tried" },
    databaseExists: null,
    databases: [],
    measurements: [],
    preview: null,
    problem: null,
  };
  try {
    const ping = await influxPing(target);
    if (!ping.ok) {
      result.ping = { isOk: false, reason: ping.reason, message: ping.message };
      result.problem = { reason: ping.reason, message: ping.message };
      return result;
    }
    result.ping = { isOk: true, version: ping.version, latencyMs: ping.elapsedMs };

    // SHOW DATABASES needs admin rights on some servers: an error there is "don't know", not a failure.
    const dbs = await influxQuery({ ...target, retentionPolicy: null }, ["SHOW DATABASES"], { cacheMs: 0 });
    if (dbs.ok) {
      result.databases = (dbs.statements[0] ?? []).flatMap((s) => s.values.map((v) => String(v[0])));
      result.databaseExists = result.databases.includes(input.database);
    }
    if (result.databaseExists === false) {
      result.problem = { reason: "database-missing", message: `database "${input.database}" not found` };
      return result;
    }
    const measurements = await influxQuery(target, ["SHOW MEASUREMENTS LIMIT 200"], { cacheMs: 0 });
    if (!measurements.ok) {
      result.problem = { reason: measurements.reason, message: measurements.message };
      if (measurements.reason === "database-missing") result.databaseExists = false;
      return result;
    }
    result.databaseExists = true;
    result.measurements = (measurements.statements[0] ?? []).flatMap((s) =>
      s.values.map((v) => String(v[0])),
    );
    const preview = await mappingPreview(target, input.mapping, result.measurements);
    if ("reason" in preview) {
      result.problem = preview;
      return result;
    }
    result.preview = preview;
    result.isOk = true;
    return result;
  } finally {
    closeAgents(poolKey);
  }
}

async function mappingPreview(
  target: InfluxTarget,
  m: Mapping,
  measurements: string[],
): Promise<
  MappingPreview | { reason: "bad-query" | "timeout" | "unreachable" | "server-error"; message: string }
> {
  const outcome = await influxQuery(target, previewStatements(m, target.retentionPolicy, PREVIEW_WINDOW_MS), {
    cacheMs: 0,
  });
  if (!outcome.ok) {
    const reason =
      outcome.reason === "timeout" || outcome.reason === "unreachable" ? outcome.reason : "bad-query";
    return { reason, message: outcome.message };
  }
  const [siteTag, clusterTag] = m.join === "tags" ? [m.siteTag, m.clusterTag] : [null, null];
  const summarize = (index: number) => {
    const series = outcome.statements[index] ?? [];
    const hosts = new Set<string>();
    const sites = new Set<string>();
    const clusters = new Set<string>();
    let latest = 0;
    for (const s of series) {
      const host = s.tags[m.hostTag];
      if (host) hosts.add(host);
      const site = siteTag ? s.tags[siteTag] : undefined;
      if (site) sites.add(site);
      const cluster = clusterTag ? s.tags[clusterTag] : undefined;
      if (cluster) clusters.add(`${site ?? ""}/${cluster}`);
      for (const v of s.values) if (typeof v[0] === "number" && v[0] > latest) latest = v[0];
    }
    return { hosts, sites, clusters, latestAt: latest > 0 ? new Date(latest).toISOString() : null };
  };
  const temp = summarize(0);
  const warnings: string[] = [];
  const has = (name: string) => measurements.length === 0 || measurements.includes(name);
  if (!has(m.temperature.measurement))
    warnings.push(`measurement "${m.temperature.measurement}" does not exist`);
  else if (temp.hosts.size === 0)
    warnings.push(`no ${m.temperature.measurement}.${m.temperature.field} points in the last hour`);
  if (m.join === "tags" && temp.hosts.size > 0 && temp.sites.size === 0) {
    warnings.push(`points have no "${m.siteTag}" tag: use join by host, or add the tag in Telegraf`);
  }
  let connectivity: MappingPreview["connectivity"] = null;
  let index = 1;
  if (m.connectivity) {
    const c = summarize(index++);
    connectivity = { measurement: m.connectivity.measurement, hosts: c.hosts.size, latestAt: c.latestAt };
    if (!has(m.connectivity.measurement))
      warnings.push(`measurement "${m.connectivity.measurement}" does not exist`);
  }
  let turbine: MappingPreview["turbine"] = null;
  if (m.turbine && m.turbine.fields.length > 0) {
    const tb = summarize(index++);
    turbine = { measurement: m.turbine.measurement, hosts: tb.hosts.size, latestAt: tb.latestAt };
  }
  const siteValues = [...temp.sites];
  let matchedSites = 0;
  if (m.join === "tags" && siteValues.length > 0) {
    matchedSites = await db().site.count({
      where: m.siteValue === "slug" ? { slug: { in: siteValues } } : { name: { in: siteValues } },
    });
    if (matchedSites === 0) warnings.push(`no "${m.siteTag}" value matches a registered site ${m.siteValue}`);
  } else if (m.join === "host" && temp.hosts.size > 0) {
    matchedSites = (await sitesOfHosts([...temp.hosts])).size;
    if (matchedSites === 0) warnings.push("no host matches a node the collector has seen");
  }
  return {
    join: m.join,
    windowMs: PREVIEW_WINDOW_MS,
    temperature: {
      measurement: m.temperature.measurement,
      hosts: temp.hosts.size,
      sites: m.join === "tags" ? temp.sites.size : matchedSites,
      clusters: temp.clusters.size,
      latestAt: temp.latestAt,
    },
    connectivity,
    turbine,
    samples: {
      sites: siteValues.slice(0, SAMPLE_COUNT),
      clusters: [...temp.clusters].slice(0, SAMPLE_COUNT).map((c) => c.replace(/^[^/]*\//, "")),
      hosts: [...temp.hosts].slice(0, SAMPLE_COUNT),
    },
    matchedSites,
    warnings,
  };
}

// ---------------------------------------------------------------------------
// Host → node join (mapping join "host"): nodes the collector saw in snapshots

export interface NodeHome {
  siteId: string;
  clusterId: string;
}

export const NODE_INDEX_CACHE_MS = 60_000;
const globalIndex = globalThis as unknown as {
  outpostNodeIndex?: { at: number; value: Promise<Map<string, NodeHome>> };
};

/** host → site/cluster from the collector's last snapshots; rebuilt at most once a minute. */
export function nodeIndex(now = Date.now()): Promise<Map<string, NodeHome>> {
  const cached = globalIndex.outpostNodeIndex;
  if (cached && now - cached.at < NODE_INDEX_CACHE_MS) return cached.value;
  const value = (async () => {
    const rows = await db().clusterStatus.findMany({
      where: { snapshot: { not: null } },
      select: { clusterId: true, snapshot: true, cluster: { select: { siteId: true } } },
    });
    const index = new Map<string, NodeHome>();
    for (const r of rows) {
      try {
        const snap = JSON.parse(r.snapshot ?? "{}") as { nodes?: { name?: unknown }[] };
        for (const n of snap.nodes ?? []) {
          if (typeof n.name === "string")
            index.set(n.name, { siteId: r.cluster.siteId, clusterId: r.clusterId });
        }
      } catch {
        // A snapshot that does not parse contributes no nodes.
      }
    }
    return index;
  })();
  globalIndex.outpostNodeIndex = { at: now, value };
  value.catch(() => {
    if (globalIndex.outpostNodeIndex?.value === value) globalIndex.outpostNodeIndex = undefined;
  });
  return value;
}

/** Registry changes in tests take effect at once. */
export function forgetNodeIndex(): void {
  globalIndex.outpostNodeIndex = undefined;
}

async function sitesOfHosts(hosts: string[]): Promise<Set<string>> {
  const index = await nodeIndex();
  const out = new Set<string>();
  for (const h of hosts) {
    const home = index.get(h);
    if (home) out.add(home.siteId);
  }
  return out;
}
