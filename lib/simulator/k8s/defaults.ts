// The apiserver's defaulting for the kinds the simulator serves, applied to every
// write (and dry run) before validation, so what a client reads back, and what a
// dry-run diff shows, carries the same defaults as real k3s.
import type { ClusterStore } from "./store";
import { isRecord, type JsonRecord, type K8sObject } from "./types";

function rec(parent: JsonRecord, key: string): JsonRecord {
  const value = parent[key];
  if (isRecord(value)) return value;
  const fresh: JsonRecord = {};
  parent[key] = fresh;
  return fresh;
}

function setDefault(target: JsonRecord, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

/** Always for `:latest` or untagged images, IfNotPresent otherwise (SetDefaults_Container). */
function pullPolicy(image: unknown): string {
  if (typeof image !== "string") return "IfNotPresent";
  const last = image.split("/").pop() ?? "";
  if (image.includes("@")) return "IfNotPresent";
  return !last.includes(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
}

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const c of list) {
    if (!isRecord(c)) continue;
    setDefault(c, "imagePullPolicy", pullPolicy(c.image));
    setDefault(c, "terminationMessagePath", "/dev/termination-log");
    setDefault(c, "terminationMessagePolicy", "File");
    setDefault(c, "resources", {});
    if (Array.isArray(c.ports)) for (const p of c.ports) if (isRecord(p)) setDefault(p, "protocol", "TCP");
  }
}

export function defaultPodSpec(spec: JsonRecord, restartPolicy = "Always"): void {
  setDefault(spec, "restartPolicy", restartPolicy);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
}

function defaultTemplate(spec: JsonRecord, restartPolicy?: string): void {
  const template = spec.template;
  if (!isRecord(template)) return;
  if (isRecord(template.spec)) defaultPodSpec(template.spec, restartPolicy);
}

let nextServiceIp = 20;

/** Applies defaults in place. `isCreate` allocates what only a create assigns (a Service's cluster IP). */
export function applyDefaults(
  obj: K8sObject,
  options: { isCreate: boolean; store?: ClusterStore } = { isCreate: false },
): void {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  switch (obj.kind) {
    case "Deployment":
      if (!spec) return;
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      if (!isRecord(spec.strategy)) spec.strategy = {};
      setDefault(spec.strategy as JsonRecord, "type", "RollingUpdate");
      if ((spec.strategy as JsonRecord).type === "RollingUpdate") {
        const rolling = rec(spec.strategy as JsonRecord, "rollingUpdate");
        setDefault(rolling, "maxSurge", "25%");
        setDefault(rolling, "maxUnavailable", "25%");
      }
      defaultTemplate(spec);
      return;
    case "DaemonSet":
      if (!spec) return;
      setDefault(spec, "revisionHistoryLimit", 10);
      if (!isRecord(spec.updateStrategy)) spec.updateStrategy = {};
      setDefault(spec.updateStrategy as JsonRecord, "type", "RollingUpdate");
      if ((spec.updateStrategy as JsonRecord).type === "RollingUpdate") {
        const rolling = rec(spec.updateStrategy as JsonRecord, "rollingUpdate");
        setDefault(rolling, "maxUnavailable", 1);
        setDefault(rolling, "maxSurge", 0);
      }
      defaultTemplate(spec);
      return;
    case "StatefulSet":
      if (!spec) return;
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "podManagementPolicy", "OrderedReady");
      if (!isRecord(spec.updateStrategy)) spec.updateStrategy = {};
      setDefault(spec.updateStrategy as JsonRecord, "type", "RollingUpdate");
      if ((spec.updateStrategy as JsonRecord).type === "RollingUpdate")
        setDefault(rec(spec.updateStrategy as JsonRecord, "rollingUpdate"), "partition", 0);
      setDefault(spec, "persistentVolumeClaimRetentionPolicy", {
        whenDeleted: "Retain",
        whenScaled: "Retain",
      });
      defaultTemplate(spec);
      return;
    case "Job":
      if (!spec) return;
      setDefault(spec, "backoffLimit", 6);
      setDefault(spec, "completions", 1);
      setDefault(spec, "parallelism", 1);
      setDefault(spec, "completionMode", "NonIndexed");
      setDefault(spec, "suspend", false);
      defaultTemplate(spec, "Never");
      return;
    case "Service": {
      if (!spec) return;
      setDefault(spec, "type", "ClusterIP");
      setDefault(spec, "sessionAffinity", "None");
      if (spec.type !== "ExternalName") {
        setDefault(spec, "ipFamilies", ["IPv4"]);
        setDefault(spec, "ipFamilyPolicy", "SingleStack");
        setDefault(spec, "internalTrafficPolicy", "Cluster");
        if (options.isCreate && spec.clusterIP === undefined) {
          nextServiceIp = (nextServiceIp % 250) + 1;
          spec.clusterIP = `10.43.${100 + (nextServiceIp % 100)}.${nextServiceIp}`;
        }
        if (spec.clusterIP !== undefined) setDefault(spec, "clusterIPs", [spec.clusterIP]);
      }
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports) {
          if (!isRecord(p)) continue;
          setDefault(p, "protocol", "TCP");
          setDefault(p, "targetPort", p.port);
        }
      }
      return;
    }
    case "Secret":
      setDefault(obj, "type", "Opaque");
      return;
    case "Namespace":
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        "kubernetes.io/metadata.name": obj.metadata.name,
      };
      if (!isRecord(obj.spec)) obj.spec = {};
      setDefault(obj.spec as JsonRecord, "finalizers", ["kubernetes"]);
      return;
    case "Pod":
      if (spec) defaultPodSpec(spec);
      return;
  }
}
