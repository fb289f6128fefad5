import type { ApiIssue } from "@/lib/queries/api";

/** Messages keyed by dotted input path ("name", "labels.tier", "expectedOfflineWindows.0.start"). */
export type FieldErrors = Record<string, string[]>;

export function issuesToErrors(
  issues: ReadonlyArray<{ path: string | ReadonlyArray<PropertyKey>; message: string }>,
): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const path = typeof i.path === "string" ? i.path : i.path.map(String).join(".");
    const list = out[path] ?? [];
    list.push(i.message);
    out[path] = list;
  }
  return out;
}

/** Issues whose path is not one of the form's fields (shown above the form). */
export function unplacedIssues(issues: ApiIssue[], fields: readonly string[]): ApiIssue[] {
  return issues.filter((i) => !fields.some((f) => i.path === f || i.path.startsWith(`${f}.`)));
}
