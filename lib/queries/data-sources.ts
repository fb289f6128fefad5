import type { DataSourceInput } from "@/lib/telemetry/schemas";
import type { DataSourceTestResult, DataSourceView } from "@/lib/telemetry/types";
import { apiFetch } from "./api";

export type { DataSourceInput, DataSourceTestResult, DataSourceView };

// Passwords and tokens travel only in POST/PUT bodies, never in a key or URL,
// and responses only ever say hasSecret.
export const dataSourceKeys = {
  all: ["data-sources"] as const,
  list: () => [...dataSourceKeys.all, "list"] as const,
  detail: (id: string) => [...dataSourceKeys.all, "detail", id] as const,
};

export function fetchDataSources(signal?: AbortSignal): Promise<{ items: DataSourceView[] }> {
  return apiFetch("/api/data-sources", { signal });
}

export function createDataSource(input: DataSourceInput): Promise<{ dataSource: DataSourceView }> {
  return apiFetch("/api/data-sources", { method: "POST", body: input });
}

export function updateDataSource(
  id: string,
  input: DataSourceInput,
): Promise<{ dataSource: DataSourceView }> {
  return apiFetch(`/api/data-sources/${encodeURIComponent(id)}`, { method: "PUT", body: input });
}

export function deleteDataSource(id: string): Promise<{ ok: true; promotedId: string | null }> {
  return apiFetch(`/api/data-sources/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** Tries the form's values; with `id`, an empty secret means the stored one. */
export function testDataSourceConfig(config: DataSourceInput, id?: string): Promise<DataSourceTestResult> {
  return apiFetch("/api/data-sources/test", { method: "POST", body: id ? { id, config } : { config } });
}

export function testStoredDataSource(id: string): Promise<DataSourceTestResult> {
  return apiFetch(`/api/data-sources/${encodeURIComponent(id)}/test`, { method: "POST" });
}
