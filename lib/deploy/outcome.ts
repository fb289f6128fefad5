// How a failed request to a cluster counts for a target: the site went away
// (wait for it), the API refused the object (fail with its message), or a field
// conflict (fail, naming the other manager). Pure.
import { conflictsOf, type FieldConflict } from "./diff";
import type { FailureKind } from "./target-state";

export type RequestOutcome =
  | { kind: "unreachable"; message: string }
  | { kind: "conflict"; message: string; conflicts: FieldConflict[] }
  | { kind: "rejected"; message: string; status: number }
  | { kind: "missing-kind"; message: string };

export interface StatusBody {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

/** An HTTP answer from the cluster that was not a success. */
export function classifyStatus(status: number, body: StatusBody | undefined, what: string): RequestOutcome {
  const message = body?.message ?? `HTTP ${status}`;
  if (status === 409) {
    const conflicts = conflictsOf(body ?? {});
    if (conflicts.length > 0) {
      const owners = [...new Set(conflicts.map((c) => c.manager))].join(", ");
      return {
        kind: "conflict",
        message: `${what}: ${conflicts.map((c) => c.field).join(", ")} owned by ${owners}`,
        conflicts,
      };
    }
  }
  // 401/403 are credentials, 5xx and 429 the server having trouble: the site may be fine later.
  if (status === 401 || status === 403 || status === 429 || status >= 500)
    return { kind: "unreachable", message: `${what}: the API server answered ${status}: ${message}` };
  if (status === 404 && body?.details?.causes?.some((c) => c.reason === "UnexpectedServerResponse"))
    return { kind: "missing-kind", message: `${what}: this cluster does not serve the kind` };
  return { kind: "rejected", message: `${what}: ${message}`, status };
}

export function failureKindOf(outcome: RequestOutcome): FailureKind {
  if (outcome.kind === "conflict") return "conflict";
  return "rejected";
}
