import { describe, expect, it } from "vitest";
import { conflictsOf, fieldDiff, HIDDEN } from "./diff";

const live = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "pos",
    uid: "u1",
    resourceVersion: "10",
    generation: 3,
    managedFields: [{ manager: "outpost" }],
    annotations: { "deployment.kubernetes.io/revision": "3", team: "retail" },
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: "app", image: "pos:1", ports: [{ containerPort: 80 }] },
          { name: "sidecar", image: "envoy:1" },
        ],
      },
    },
  },
  status: { readyReplicas: 2 },
};

describe("fieldDiff", () => {
  it("ignores status and server-owned metadata", () => {
    const result = structuredClone(live);
    result.metadata.resourceVersion = "11";
    result.metadata.generation = 4;
    result.metadata.annotations["deployment.kubernetes.io/revision"] = "4";
    result.status.readyReplicas = 0;
    expect(fieldDiff(live, result)).toEqual([]);
  });

  it("names changed, added and removed fields, with list items keyed by name", () => {
    const result = structuredClone(live) as typeof live & { spec: { paused?: boolean } };
    result.spec.replicas = 3;
    result.spec.paused = true;
    result.spec.template.spec.containers = [{ name: "app", image: "pos:2", ports: [{ containerPort: 80 }] }];
    expect(fieldDiff(live, result)).toEqual([
      { path: "spec.paused", kind: "added", after: "true" },
      { path: "spec.replicas", kind: "changed", before: "2", after: "3" },
      {
        path: "spec.template.spec.containers[name=app].image",
        kind: "changed",
        before: '"pos:1"',
        after: '"pos:2"',
      },
      {
        path: "spec.template.spec.containers[name=sidecar]",
        kind: "removed",
        before: '{"name":"sidecar","image":"envoy:1"}',
      },
    ]);
  });

  it("treats a missing side as a whole-object add or remove", () => {
    expect(fieldDiff(undefined, { kind: "ConfigMap", data: { a: "1" } })).toEqual([
      { path: "(object)", kind: "added", after: expect.stringContaining('"data":{"a":"1"}') },
    ]);
  });

  it("never shows Secret values", () => {
    const before = { kind: "Secret", metadata: { name: "s" }, data: { token: "b2xk" } };
    const after = { kind: "Secret", metadata: { name: "s" }, data: { token: "bmV3", extra: "eA==" } };
    expect(fieldDiff(before, after)).toEqual([
      { path: "data.extra", kind: "added", after: HIDDEN },
      { path: "data.token", kind: "changed", before: HIDDEN, after: HIDDEN },
    ]);
  });

  it("never shows Secret values in a whole-object change either, and sees stringData equal to data", () => {
    const created = fieldDiff(undefined, {
      kind: "Secret",
      metadata: { name: "s" },
      stringData: { token: "s3cret" },
    });
    expect(JSON.stringify(created)).not.toContain("s3cret");
    expect(created[0]?.after).toContain(HIDDEN);
    const same = fieldDiff(
      { kind: "Secret", metadata: { name: "s" }, data: { token: Buffer.from("v").toString("base64") } },
      { kind: "Secret", metadata: { name: "s" }, data: { token: Buffer.from("v").toString("base64") } },
    );
    expect(same).toEqual([]);
  });

  it("stops at the limit", () => {
    const a = {
      kind: "ConfigMap",
      data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "a"])),
    };
    const b = {
      kind: "ConfigMap",
      data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "b"])),
    };
    expect(fieldDiff(a, b, { limit: 5 })).toHaveLength(5);
  });
});

describe("conflictsOf", () => {
  it("reads the field and the other manager from FieldManagerConflict causes", () => {
    expect(
      conflictsOf({
        code: 409,
        reason: "Conflict",
        details: {
          causes: [
            {
              reason: "FieldManagerConflict",
              message: 'conflict with "kubectl-edit" using apps/v1',
              field: ".spec.replicas",
            },
            { reason: "Other", message: "x" },
          ],
        },
      }),
    ).toEqual([
      {
        field: ".spec.replicas",
        manager: "kubectl-edit",
        message: 'conflict with "kubectl-edit" using apps/v1',
      },
    ]);
    expect(conflictsOf({ code: 409 })).toEqual([]);
  });
});
