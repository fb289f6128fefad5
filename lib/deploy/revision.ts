// Revisions: the canonical form of a manifest's objects, its content hash,
// Secret values split off (stored encrypted, never shown back), Outpost's own
// labels, and a side-by-side comparison of two revisions. Pure: the secret
// digest (an HMAC with the server's key) is passed in.
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { type FieldChange, fieldDiff, HIDDEN } from "./diff";
import {
  DEPLOYMENT_LABEL,
  isObject,
  type JsonObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type ManifestObject,
  objectKey,
  objectLabel,
} from "./manifest";

/** JSON with keys sorted at every level, so equal objects hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Secret values of one object, by field and key. */
export interface SecretValues {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Keyed by objectKey(); what is encrypted at rest beside the redacted objects. */
export type RevisionSecrets = Record<string, SecretValues>;

/** Per object, per "data.key", a digest of the value: lets two revisions say "changed" without the value. */
export type SecretFingerprints = Record<string, Record<string, string>>;

function isSecret(o: Pick<ManifestObject, "apiVersion" | "kind">): boolean {
  return o.kind === "Secret" && o.apiVersion === "v1";
}

/** Replaces every Secret value with HIDDEN; the values come back separately. */
export function redactSecrets(
  objects: ManifestObject[],
  digest: (value: string) => string,
): { objects: ManifestObject[]; secrets: RevisionSecrets; fingerprints: SecretFingerprints } {
  const secrets: RevisionSecrets = {};
  const fingerprints: SecretFingerprints = {};
  const redacted = objects.map((o) => {
    if (!isSecret(o)) return o;
    const body = structuredClone(o.body);
    const values: SecretValues = {};
    const prints: Record<string, string> = {};
    for (const field of ["data", "stringData"] as const) {
      const map = body[field];
      if (!isObject(map)) continue;
      values[field] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
      for (const [k, v] of Object.entries(map)) {
        // data is base64 of the value; stringData the value itself: fingerprint the value either way
        const plain = field === "data" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
        prints[`data.${k}`] = digest(plain);
        map[k] = HIDDEN;
      }
    }
    const key = objectKey(o);
    secrets[key] = values;
    fingerprints[key] = prints;
    return { ...o, body };
  });
  return { objects: redacted, secrets, fingerprints };
}

/** Puts the decrypted values back for an apply. Throws when a Secret's values are missing. */
export function restoreSecrets(objects: ManifestObject[], secrets: RevisionSecrets): ManifestObject[] {
  return objects.map((o) => {
    if (!isSecret(o)) return o;
    const values = secrets[objectKey(o)];
    if (!values) throw new Error(`the stored values of ${objectLabel(o)} are missing`);
    const body = structuredClone(o.body);
    for (const field of ["data", "stringData"] as const) {
      if (values[field]) body[field] = { ...values[field] };
    }
    return { ...o, body };
  });
}

/**
 * sha256 over the canonical objects with each Secret value replaced by its digest: a new
 * secret value makes a new revision, and the hash reveals nothing about the value.
 */
export function contentHash(redacted: ManifestObject[], fingerprints: SecretFingerprints): string {
  const hash = createHash("sha256");
  for (const o of redacted) {
    hash.update(canonicalJson(o.body));
    hash.update("\n");
    const prints = fingerprints[objectKey(o)];
    if (prints) hash.update(canonicalJson(prints));
    hash.update("\n---\n");
  }
  return `sha256:${hash.digest("hex")}`;
}

/** The labels every applied object carries; pruning deletes only objects that have both. */
export function withOutpostLabels(body: JsonObject, deploymentName: string): JsonObject {
  const out = structuredClone(body);
  const metadata = isObject(out.metadata) ? out.metadata : {};
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  metadata.labels = { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [DEPLOYMENT_LABEL]: deploymentName };
  out.metadata = metadata;
  return out;
}

/** A revision's objects as the YAML people read (Secret values already hidden). */
export function toYaml(objects: ManifestObject[]): string {
  return objects.map((o) => stringify(o.body, { lineWidth: 0 })).join("---\n");
}

export interface ObjectComparison {
  key: string;
  label: string;
  status: "added" | "removed" | "changed" | "unchanged";
  changes: FieldChange[];
  /** YAML of each side, for the side-by-side view */
  before?: string;
  after?: string;
}

/** Object by object: what revision `b` adds, removes and changes relative to `a`. */
export function compareRevisions(
  a: { objects: ManifestObject[]; fingerprints: SecretFingerprints },
  b: { objects: ManifestObject[]; fingerprints: SecretFingerprints },
): ObjectComparison[] {
  const index = (objects: ManifestObject[]) => new Map(objects.map((o) => [objectKey(o), o]));
  const left = index(a.objects);
  const right = index(b.objects);
  const keys = [...new Set([...b.objects.map(objectKey), ...a.objects.map(objectKey)])];
  return keys.map((key) => {
    const before = left.get(key);
    const after = right.get(key);
    const label = objectLabel((after ?? before) as ManifestObject);
    const yamlOf = (o?: ManifestObject) => (o ? stringify(o.body, { lineWidth: 0 }) : undefined);
    if (!before) return { key, label, status: "added", changes: [], after: yamlOf(after) };
    if (!after) return { key, label, status: "removed", changes: [], before: yamlOf(before) };
    const changes = fieldDiff(before.body, after.body).filter(
      (c) => c.before !== HIDDEN && c.after !== HIDDEN,
    );
    const printsA = a.fingerprints[key] ?? {};
    const printsB = b.fingerprints[key] ?? {};
    for (const field of [...new Set([...Object.keys(printsA), ...Object.keys(printsB)])].sort()) {
      if (printsA[field] === printsB[field]) continue;
      changes.push({
        path: field,
        kind: printsA[field] === undefined ? "added" : printsB[field] === undefined ? "removed" : "changed",
        ...(printsA[field] !== undefined ? { before: HIDDEN } : {}),
        ...(printsB[field] !== undefined ? { after: HIDDEN } : {}),
      });
    }
    return {
      key,
      label,
      status: changes.length > 0 ? "changed" : "unchanged",
      changes,
      before: yamlOf(before),
      after: yamlOf(after),
    };
  });
}

export interface LineRow {
  kind: "same" | "removed" | "added" | "changed";
  left?: { number: number; text: string };
  right?: { number: number; text: string };
}

const MAX_LCS_CELLS = 4_000_000;

/** Two texts side by side, aligned on their longest common subsequence of lines. */
export function sideBySide(beforeText: string, afterText: string): LineRow[] {
  const a = beforeText === "" ? [] : beforeText.replace(/\n$/, "").split("\n");
  const b = afterText === "" ? [] : afterText.replace(/\n$/, "").split("\n");
  if (a.length * b.length > MAX_LCS_CELLS) {
    // Too large to align: show both sides in full, paired by position.
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({
      kind: a[i] === b[i] ? "same" : "changed",
      ...(a[i] !== undefined ? { left: { number: i + 1, text: a[i] as string } } : {}),
      ...(b[i] !== undefined ? { right: { number: i + 1, text: b[i] as string } } : {}),
    }));
  }
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const rows: LineRow[] = [];
  let i = 0;
  let j = 0;
  const removed: LineRow[] = [];
  const added: LineRow[] = [];
  const flush = () => {
    // Pair removals with additions as "changed" rows, like a side-by-side view shows them.
    const pairs = Math.max(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      const l = removed[k]?.left;
      const r = added[k]?.right;
      rows.push({
        kind: l && r ? "changed" : l ? "removed" : "added",
        ...(l ? { left: l } : {}),
        ...(r ? { right: r } : {}),
      });
    }
    removed.length = 0;
    added.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({
        kind: "same",
        left: { number: i + 1, text: a[i] as string },
        right: { number: j + 1, text: b[j] as string },
      });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      added.push({ kind: "added", right: { number: j + 1, text: b[j] as string } });
      j++;
    } else {
      removed.push({ kind: "removed", left: { number: i + 1, text: a[i] as string } });
      i++;
    }
  }
  flush();
  return rows;
}
