// Redeploy without a new revision: `kubectl rollout restart` for chosen
// workloads (by name or label) on many sites, through the same wave engine.
import { z } from "zod";

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
export const RESTART_FIELD_MANAGER = "outpost-restart";
export const RESTARTABLE_KINDS = ["Deployment", "DaemonSet", "StatefulSet"] as const;
export type RestartableKind = (typeof RESTARTABLE_KINDS)[number];

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes name");
const LABEL_SELECTOR =
  /^[A-Za-z0-9./_-]+(\s*(=|==|!=)\s*[A-Za-z0-9._-]*)?(\s*,\s*[A-Za-z0-9./_-]+(\s*(=|==|!=)\s*[A-Za-z0-9._-]*)?)*$/;

export const restartSpecSchema = z
  .object({
    /** named workloads */
    workloads: z
      .array(z.object({ kind: z.enum(RESTARTABLE_KINDS), namespace: name, name }).strict())
      .max(100)
      .optional(),
    /** or every workload matching a label selector ("app=pos-api", "tier!=db") */
    labelSelector: z
      .string()
      .min(1)
      .max(500)
      .regex(LABEL_SELECTOR, "must be a label selector like app=pos-api")
      .optional(),
    /** limit the label selector to one namespace */
    namespace: name.optional(),
    kinds: z.array(z.enum(RESTARTABLE_KINDS)).min(1).default(["Deployment", "DaemonSet", "StatefulSet"]),
  })
  .strict()
  .refine((s) => (s.workloads?.length ?? 0) > 0 || s.labelSelector !== undefined, {
    message: "name the workloads or give a label selector",
  });

export type RestartSpec = z.output<typeof restartSpecSchema>;

/** The strategic-merge patch kubectl sends: a new template annotation, so new pods roll out. */
export function restartPatch(stamp: string): object {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } };
}

export function describeRestart(spec: RestartSpec): string {
  if (spec.workloads?.length) {
    const names = spec.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`);
    return names.length > 3
      ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`
      : names.join(", ");
  }
  return `${spec.kinds.join("/")} matching ${spec.labelSelector}${spec.namespace ? ` in ${spec.namespace}` : ""}`;
}
