import { describe, expect, it } from "vitest";
import { formatIssue, hasErrors, parseManifest } from "./manifest";

const deployment = (name: string, ns = "pos", image = "registry/pos:1.0") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: app
          image: ${image}
`;

const errors = (text: string) =>
  parseManifest(text)
    .issues.filter((i) => i.severity === "error")
    .map(formatIssue);

describe("parseManifest", () => {
  it("reads multi-document YAML into objects in document order with resolved namespaces", () => {
    const parsed = parseManifest(
      `${deployment("pos-api")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: pos-config }\ndata: { a: "1" }\n---\n# trailing comment only\n`,
    );
    expect(hasErrors(parsed)).toBe(false);
    expect(parsed.objects.map((o) => [o.document, o.kind, o.namespace, o.name])).toEqual([
      [1, "Deployment", "pos", "pos-api"],
      [2, "ConfigMap", "default", "pos-config"],
    ]);
    expect(parsed.objects[1]?.body.metadata).toMatchObject({ namespace: "default" });
    expect(parsed.requiredRole).toBe("operator");
  });

  it("names the document and line of a YAML syntax error", () => {
    const [error] = errors(
      `${deployment("a")}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n`,
    );
    expect(error).toMatch(/^document 2 line \d+: YAML syntax: /);
  });

  it("refuses duplicate keys inside a document", () => {
    expect(errors("apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: { name: x }\n")[0]).toContain(
      "YAML syntax",
    );
  });

  it("names each missing identity field", () => {
    expect(errors("kind: ConfigMap\nmetadata: { name: x }\n")).toEqual([
      "document 1 (ConfigMap x) line 1: apiVersion: required",
    ]);
    expect(errors("apiVersion: v1\nmetadata: { name: x }\n")).toEqual(["document 1 line 1: kind: required"]);
    expect(errors("apiVersion: v1\nkind: ConfigMap\n")).toEqual(["document 1 line 1: metadata: required"]);
    expect(errors("apiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: x- }\n")[0]).toContain(
      "metadata.name: required (generateName cannot be applied repeatedly)",
    );
    expect(errors("- a\n- b\n")[0]).toContain("not a Kubernetes object");
  });

  it("names the field of invalid names, namespaces, labels and containers", () => {
    expect(errors(deployment("Bad_Name"))[0]).toContain("(Deployment Bad_Name) line 1: metadata.name:");
    expect(
      errors("apiVersion: v1\nkind: Namespace\nmetadata: { name: pos, namespace: other }\n")[0],
    ).toContain("metadata.namespace: Namespace is cluster-scoped");
    expect(
      errors("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labels: { app: 'no spaces' } }\n")[0],
    ).toContain('metadata.labels.app: invalid label value "no spaces"');
    expect(errors(deployment("web", "pos", ""))[0]).toContain(
      "spec.template.spec.containers[0].image: required",
    );
  });

  it("refuses duplicate objects, naming the first document", () => {
    const [error] = errors(`${deployment("web")}---\n${deployment("web")}`);
    expect(error).toContain("document 2 (Deployment pos/web)");
    expect(error).toContain("document 1 already defines Deployment pos/web");
    // same name in another namespace is another object
    expect(errors(`${deployment("web")}---\n${deployment("web", "other")}`)).toEqual([]);
  });

  it("refuses what the cluster owns and kinds Outpost must not manage", () => {
    expect(errors("apiVersion: v1\nkind: Node\nmetadata: { name: pi-01 }\n")[0]).toContain(
      "Node cannot be deployed",
    );
    expect(errors("apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: {}\n")[0]).toContain("bare pods");
  });

  it("enforces the size and object limits", () => {
    expect(parseManifest("a: b\n", { maxBytes: 2 }).issues[0]?.message).toContain("the limit is 2");
    const many = Array.from(
      { length: 3 },
      (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c${i} }\n`,
    ).join("---\n");
    expect(parseManifest(many, { maxObjects: 2 }).issues[0]?.message).toContain(
      "has 3 objects; the limit is 2",
    );
    expect(errors("")).toEqual(["the manifest is empty"]);
    expect(errors("---\n---\n")).toEqual(["the manifest contains no objects"]);
  });

  it("checks Secret data is base64 and keeps stringData", () => {
    expect(
      errors("apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { token: 'not base64!' }\n")[0],
    ).toContain("data.token: must be base64");
    expect(
      errors("apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { token: plain }\n"),
    ).toEqual([]);
  });

  it("strips what the cluster sets, with a warning, so kubectl get -o yaml output can be pasted", () => {
    const parsed = parseManifest(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, uid: abc, resourceVersion: '5', managedFields: [] }\ndata: {}\nstatus: {}\n",
    );
    expect(hasErrors(parsed)).toBe(false);
    expect(parsed.objects[0]?.body).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "default" },
      data: {},
    });
    expect(parsed.issues[0]).toMatchObject({ severity: "warning" });
    expect(parsed.issues[0]?.message).toContain("uid, resourceVersion, managedFields, status");
  });

  it("requires admin for cluster-scoped, RBAC and unknown kinds", () => {
    expect(parseManifest("apiVersion: v1\nkind: Namespace\nmetadata: { name: pos }\n").requiredRole).toBe(
      "admin",
    );
    expect(
      parseManifest(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r, namespace: pos }\nrules: []\n",
      ).requiredRole,
    ).toBe("admin");
    const crd = parseManifest(
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w, namespace: pos }\n",
    );
    expect(crd.requiredRole).toBe("admin");
    expect(crd.objects[0]?.namespace).toBe("pos");
    expect(crd.issues[0]?.message).toContain("not a built-in kind");
    expect(parseManifest(deployment("web")).requiredRole).toBe("operator");
  });

  it("expands kind: List", () => {
    const parsed = parseManifest(
      "apiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: b } }\n",
    );
    expect(parsed.objects.map((o) => o.name)).toEqual(["a", "b"]);
  });

  it("warns that Outpost's own labels are replaced", () => {
    const parsed = parseManifest(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labels: { app.kubernetes.io/managed-by: helm } }\n",
    );
    expect(parsed.issues.map((i) => i.message).join()).toContain("are set by Outpost");
  });
});
