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
