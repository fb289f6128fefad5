// Raw query results differ by driver: SQLite returns DATETIME as text and
// integers as number or bigint, PostgreSQL returns Date and number. These turn
// a raw column into the one JS type the caller wants.

export function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  if (typeof value === "bigint") return new Date(Number(value));
  throw new TypeError(`not a date: ${String(value)}`);
}

export function asDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : asDate(value);
}

export function asInt(value: unknown): number {
  const n = typeof value === "bigint" ? Number(value) : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`not a number: ${String(value)}`);
  return n;
}
