// Revisions: the canonical form of a manifest's objects, its content hash,
// Secret values split off (stored encrypted, never shown back), Outpost's own
// labels, and a side-by-side comparison of two revisions. Pure: the secret
// digest (an HMAC with the server's key) is passed in.
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { type FieldChange, fieldDiff, HIDDEN } from "./diff";
import { type LineRow, sideBySide } from "./line-diff";
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
  /** the two YAML texts aligned line by line */
  lines?: LineRow[];
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
    if (!before) {
      const text = yamlOf(after) ?? "";
      return { key, label, status: "added", changes: [], after: text, lines: sideBySide("", text) };
    }
    if (!after) {
      const text = yamlOf(before) ?? "";
      return { key, label, status: "removed", changes: [], before: text, lines: sideBySide(text, "") };
    }
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
    const beforeText = yamlOf(before) ?? "";
    const afterText = yamlOf(after) ?? "";
    return {
      key,
      label,
      status: changes.length > 0 ? "changed" : "unchanged",
      changes,
      before: beforeText,
      after: afterText,
      lines: sideBySide(beforeText, afterText),
    };
  });
}
