import { describe, expect, it } from "vitest";
import { isPrunable, pruneSet } from "./prune";

const ref = (
  kind: string,
  name: string,
  apiVersion = kind === "Deployment" ? "apps/v1" : "v1",
  namespace = "pos",
) => ({
  apiVersion,
  kind,
  name,
  namespace,
});

describe("rollback pruning", () => {
  it("deletes only what the newer revision added, workloads before their config", () => {
    const newer = [
      ref("ConfigMap", "cfg"),
      ref("Deployment", "api"),
      ref("ConfigMap", "new-cfg"),
      ref("Deployment", "worker"),
    ];
    const older = [ref("ConfigMap", "cfg"), ref("Deployment", "api")];
    expect(pruneSet(newer, older)).toEqual([ref("Deployment", "worker"), ref("ConfigMap", "new-cfg")]);
    expect(pruneSet(older, older)).toEqual([]);
    // same name, other namespace: another object
    expect(pruneSet([ref("ConfigMap", "cfg", "v1", "a")], [ref("ConfigMap", "cfg", "v1", "b")])).toHaveLength(
      1,
    );
  });

  it("never deletes an object Outpost did not create for this deployment", () => {
    const labels = (l: Record<string, string>) => ({ metadata: { labels: l } });
    expect(
      isPrunable(
        labels({ "app.kubernetes.io/managed-by": "outpost", "outpost.dev/deployment": "pos" }),
        "pos",
      ),
    ).toBe(true);
    expect(
      isPrunable(
        labels({ "app.kubernetes.io/managed-by": "outpost", "outpost.dev/deployment": "other" }),
        "pos",
      ),
    ).toBe(false);
    expect(isPrunable(labels({ "outpost.dev/deployment": "pos" }), "pos")).toBe(false);
    expect(isPrunable(undefined, "pos")).toBe(false);
  });
});
