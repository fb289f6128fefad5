// The CustomResourceDefinitions k3s installs for its helm-controller, built from
// the same schemas the simulator validates HelmChart objects with.
import { inlineSchema } from "./openapi";
import { RESOURCES } from "./resources";
import { DEFINITIONS, definitionFor, type Schema } from "./schema";
import type { K8sObject } from "./types";

const PRINTER_COLUMNS: Record<string, { name: string; jsonPath: string; type: string }[]> = {
  HelmChart: [
    { name: "Job", jsonPath: ".status.jobName", type: "string" },
    { name: "Chart", jsonPath: ".spec.chart", type: "string" },
    { name: "TargetNamespace", jsonPath: ".spec.targetNamespace", type: "string" },
    { name: "Version", jsonPath: ".spec.version", type: "string" },
    { name: "Repo", jsonPath: ".spec.repo", type: "string" },
    { name: "HelmVersion", jsonPath: ".spec.helmVersion", type: "string" },
    { name: "Bootstrap", jsonPath: ".spec.bootstrap", type: "string" },
  ],
};

export function customResourceDefinitions(created: string): K8sObject[] {
  return RESOURCES.filter((d) => d.group === "helm.cattle.io").map((d) => {
    const root = DEFINITIONS[definitionFor(d.group, d.version, d.kind) ?? ""] as Schema | undefined;
    const spec =
      root && "type" in root && root.type === "object" && root.properties.spec
        ? inlineSchema(root.properties.spec)
        : { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    return {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: {
        name: `${d.name}.${d.group}`,
        creationTimestamp: created,
        labels: { "app.kubernetes.io/managed-by": "k3s" },
      },
      spec: {
        group: d.group,
        names: { kind: d.kind, listKind: `${d.kind}List`, plural: d.name, singular: d.singularName },
        scope: d.namespaced ? "Namespaced" : "Cluster",
        conversion: { strategy: "None" },
        versions: [
          {
            name: d.version,
            served: true,
            storage: true,
            ...(d.hasStatus ? { subresources: { status: {} } } : {}),
            ...(PRINTER_COLUMNS[d.kind] ? { additionalPrinterColumns: PRINTER_COLUMNS[d.kind] } : {}),
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  apiVersion: { type: "string" },
                  kind: { type: "string" },
                  metadata: { type: "object" },
                  spec,
                  status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
            },
          },
        ],
      },
      status: {
        acceptedNames: { kind: d.kind, listKind: `${d.kind}List`, plural: d.name, singular: d.singularName },
        conditions: [
          {
            type: "NamesAccepted",
            status: "True",
            reason: "NoConflicts",
            message: "no conflicts found",
            lastTransitionTime: created,
          },
          {
            type: "Established",
            status: "True",
            reason: "InitialNamesAccepted",
            message: "the initial names have been accepted",
            lastTransitionTime: created,
          },
        ],
        storedVersions: [d.version],
      },
    };
  });
}
