import type { DataSource } from "@/lib/generated/prisma/client";

/** The data source a site reads: its own, else the default (else the first). The one rule for every reader. */
export function sourceFor<T extends Pick<DataSource, "id" | "isDefault">>(
  rows: readonly T[],
  site: { dataSourceId: string | null },
): T | undefined {
  if (site.dataSourceId) {
    const own = rows.find((r) => r.id === site.dataSourceId);
    if (own) return own;
  }
  return rows.find((r) => r.isDefault) ?? rows[0];
}
