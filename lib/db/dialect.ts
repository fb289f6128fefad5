import "server-only";
import { env } from "@/lib/env";

// Which SQL dialect the configured database speaks. Raw SQL that differs between
// the two (locking, claim queries) branches on this; everything else is shared.
export type Dialect = "sqlite" | "postgresql";

export function dialectOf(databaseUrl: string): Dialect {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`unsupported DATABASE_URL scheme: ${databaseUrl.split(":")[0]}:`);
}

export function dialect(): Dialect {
  return dialectOf(env().databaseUrl);
}

/**
 * A case-insensitive `contains` filter on both databases: SQLite's LIKE
 * ignores ASCII case by itself, PostgreSQL needs `mode: "insensitive"` (which
 * the SQLite-typed client does not know, hence the cast). Use it for every
 * user-typed search.
 */
export function containsText(value: string): { contains: string } {
  return dialect() === "postgresql"
    ? ({ contains: value, mode: "insensitive" } as { contains: string })
    : { contains: value };
}
