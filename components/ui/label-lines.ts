import type { ApiIssue } from "@/lib/queries/api";

/** "key=value" lines ⇄ a labels object; blank lines and # comments are ignored. */
export function parseLabelLines(
  text: string,
  path = "labels",
): { labels: Record<string, string>; issues: ApiIssue[] } {
  const labels: Record<string, string> = {};
  const issues: ApiIssue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) {
      issues.push({ path, message: `line ${index + 1}: write key=value (got "${line.slice(0, 40)}")` });
      return;
    }
    const key = line.slice(0, eq).trim();
    if (key in labels) {
      issues.push({ path, message: `line ${index + 1}: "${key}" appears twice` });
      return;
    }
    labels[key] = line.slice(eq + 1).trim();
  });
  return { labels, issues };
}

export function formatLabelLines(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}
