// Building InfluxQL safely. Every identifier (measurement, field, tag key,
// retention policy) and every string literal (tag value) that reaches a query
// goes through these helpers; nothing is concatenated raw. Regexes are never
// built from user input: tag matching uses `=` and OR-lists instead.
//
// The escapes follow influxql's scanner (checked against influxd 1.6 in
// influxql.test.ts): in a double-quoted identifier `\"` and `\\` are the only
// escapes; in a single-quoted string `\'`, `\\`, `\"` and `\n` are. A raw
// newline ends a token in both, so it is escaped (strings) or refused (identifiers).

/** Characters an identifier may never contain: control characters have no escape in InfluxQL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

export class InfluxQlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InfluxQlError";
  }
}

/** Whether a name can be used as an identifier at all (mapping validation uses the same rule). */
export function isValidIdentifier(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !CONTROL.test(name);
}

/** `"name"` with `\` and `"` escaped. Throws for names InfluxQL cannot express. */
export function quoteIdent(name: string): string {
  if (!isValidIdentifier(name)) {
    throw new InfluxQlError(`"${name.replace(CONTROL, "?")}" cannot be used as an InfluxQL identifier`);
  }
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `'value'` with `\`, `'` and newlines escaped; any string is representable. */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\'\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}'`;
}

/** `"rp"."measurement"`, or just the measurement when no retention policy is named. */
export function qualifiedMeasurement(measurement: string, retentionPolicy?: string | null): string {
  return retentionPolicy
    ? `${quoteIdent(retentionPolicy)}.${quoteIdent(measurement)}`
    : quoteIdent(measurement);
}

/** An absolute time bound as an integer millisecond literal (`1700000000000ms`). */
export function timeMs(ms: number): string {
  if (!Number.isFinite(ms)) throw new InfluxQlError("time bound must be a finite number");
  return `${Math.trunc(ms)}ms`;
}

/** A duration literal from milliseconds, in the largest exact unit (`15m`, `10s`, `1500ms`). */
export function durationLiteral(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) throw new InfluxQlError("duration must be a positive integer of ms");
  const units: [number, string][] = [
    [604_800_000, "w"],
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1_000, "s"],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** `"tag" = 'a'`, or a parenthesised OR-list for several values. Callers skip the query for none. */
export function tagIn(tag: string, values: readonly string[]): string {
  if (values.length === 0) throw new InfluxQlError(`no values to match for tag ${tag}`);
  const key = quoteIdent(tag);
  const parts = values.map((v) => `${key} = ${quoteString(v)}`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(" OR ")})`;
}

/** A GROUP BY list of tag keys (deduplicated, in order). */
export function groupByTags(tags: readonly (string | null | undefined)[]): string {
  const seen = new Set<string>();
  for (const t of tags) if (t) seen.add(t);
  return [...seen].map(quoteIdent).join(", ");
}
