// Unique-constraint violations as both drivers report them: SQLite names the
// columns, PostgreSQL the index. Callers ask by index name and columns.

interface UniqueCause {
  kind?: string;
  table?: string;
  constraint?: { fields?: string[]; index?: string };
}

function causeOf(err: unknown): UniqueCause | null {
  const e = err as { code?: string; meta?: { driverAdapterError?: { cause?: UniqueCause } } } | null;
  if (e?.code !== "P2002") return null;
  return e.meta?.driverAdapterError?.cause ?? {};
}

/** True when `err` is a unique violation of index `index` (PostgreSQL) / on exactly `columns` (SQLite). */
export function isUniqueViolation(err: unknown, index: string, columns: string[]): boolean {
  const cause = causeOf(err);
  if (!cause) return false;
  const c = cause.constraint ?? {};
  if (c.index !== undefined) return c.index === index;
  return (
    c.fields !== undefined &&
    c.fields.length === columns.length &&
    columns.every((col) => c.fields?.includes(col))
  );
}
