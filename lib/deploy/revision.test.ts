import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HIDDEN } from "./diff";
import { sideBySide } from "./line-diff";
import { parseManifest } from "./manifest";
import {
  canonicalJson,
  compareRevisions,
  contentHash,
  redactSecrets,
  restoreSecrets,
  toYaml,
  withOutpostLabels,
} from "./revision";

const digest = (v: string) => createHmac("sha256", "test-key").update(v).digest("hex");

const manifest = (token: string, image = "pos:1") =>
  parseManifest(`apiVersion: v1
kind: Secret
metadata: { name: pos-token, namespace: pos }
stringData: { token: ${token} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: pos-api, namespace: pos }
spec:
  selector: { matchLabels: { app: pos-api } }
  template:
    metadata: { labels: { app: pos-api } }
    spec: { containers: [{ name: app, image: "${image}" }] }
`).objects;

const revision = (token: string, image?: string) => {
  const { objects, secrets, fingerprints } = redactSecrets(manifest(token, image), digest);
  return { objects, secrets, fingerprints, hash: contentHash(objects, fingerprints) };
};

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("secrets at rest", () => {
  it("hides Secret values in the stored objects and YAML, and restores them for an apply", () => {
    const rev = revision("s3cret");
    expect(toYaml(rev.objects)).not.toContain("s3cret");
    expect(toYaml(rev.objects)).toContain(HIDDEN);
    expect(JSON.stringify(rev.fingerprints)).not.toContain("s3cret");
    const restored = restoreSecrets(rev.objects, rev.secrets);
    expect(restored[0]?.body.stringData).toEqual({ token: "s3cret" });
    expect(() => restoreSecrets(rev.objects, {})).toThrow(
      "stored values of Secret pos/pos-token are missing",
    );
  });
});

describe("contentHash", () => {
  it("is stable across key order and formatting, and changes with any value including a secret", () => {
    const a = revision("one");
    const reordered = parseManifest(`apiVersion: v1
stringData: { token: one }
metadata: { namespace: pos, name: pos-token }
kind: Secret
---
kind: Deployment
apiVersion: apps/v1
spec:
  template:
    spec: { containers: [{ image: "pos:1", name: app }] }
    metadata: { labels: { app: pos-api } }
  selector: { matchLabels: { app: pos-api } }
metadata: { name: pos-api, namespace: pos }
`).objects;
    const r = redactSecrets(reordered, digest);
    expect(contentHash(r.objects, r.fingerprints)).toBe(a.hash);
    expect(revision("two").hash).not.toBe(a.hash);
    expect(revision("one", "pos:2").hash).not.toBe(a.hash);
    expect(a.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe("withOutpostLabels", () => {
  it("adds the managed-by and deployment labels without touching the input", () => {
    const body = { metadata: { name: "x", labels: { app: "x" } } };
    expect(withOutpostLabels(body, "pos").metadata).toEqual({
      name: "x",
      labels: { app: "x", "app.kubernetes.io/managed-by": "outpost", "outpost.dev/deployment": "pos" },
    });
    expect(body.metadata.labels).toEqual({ app: "x" });
  });
});

describe("compareRevisions", () => {
  it("lists added, removed, changed and unchanged objects, with secret changes named but hidden", () => {
    const a = revision("one");
    const b = revision("two", "pos:2");
    b.objects.push(
      ...parseManifest("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: extra, namespace: pos }\n")
        .objects,
    );
    const result = compareRevisions(a, b);
    expect(result.map((r) => [r.label, r.status])).toEqual([
      ["Secret pos/pos-token", "changed"],
      ["Deployment pos/pos-api", "changed"],
      ["ConfigMap pos/extra", "added"],
    ]);
    expect(result[0]?.changes).toEqual([
      { path: "data.token", kind: "changed", before: HIDDEN, after: HIDDEN },
    ]);
    expect(result[1]?.changes[0]?.path).toBe("spec.template.spec.containers[name=app].image");
    expect(compareRevisions(a, a).every((r) => r.status === "unchanged")).toBe(true);
    expect(compareRevisions(b, a).find((r) => r.label === "ConfigMap pos/extra")?.status).toBe("removed");
  });
});

describe("sideBySide", () => {
  it("aligns equal lines and pairs replaced ones", () => {
    const rows = sideBySide("a\nb\nc\n", "a\nB\nc\nd\n");
    expect(rows.map((r) => [r.kind, r.left?.text, r.right?.text])).toEqual([
      ["same", "a", "a"],
      ["changed", "b", "B"],
      ["same", "c", "c"],
      ["added", undefined, "d"],
    ]);
    expect(sideBySide("", "x").map((r) => r.kind)).toEqual(["added"]);
    expect(sideBySide("x\ny", "y").map((r) => r.kind)).toEqual(["removed", "same"]);
  });
});
