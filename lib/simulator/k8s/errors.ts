// Kubernetes-shaped failures: every error the simulated apiserver returns is a Status object.
import type { ResourceDef } from "./resources";

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: StatusCause[];
      retryAfterSeconds?: number;
    },
  ) {
    super(message);
  }

  toStatus(): object {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function qualifiedResource(def: ResourceDef): string {
  return def.group ? `${def.name}.${def.group}` : def.name;
}

export const notFound = (def: ResourceDef, name: string) =>
  new ApiError(404, "NotFound", `${qualifiedResource(def)} "${name}" not found`, {
    name,
    group: def.group || undefined,
    kind: def.name,
  });

export const alreadyExists = (def: ResourceDef, name: string) =>
  new ApiError(409, "AlreadyExists", `${qualifiedResource(def)} "${name}" already exists`, {
    name,
    group: def.group || undefined,
    kind: def.name,
  });

export const conflict = (def: ResourceDef, name: string) =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: def.group || undefined, kind: def.name },
  );

export const badRequest = (message: string) => new ApiError(400, "BadRequest", message);

export function invalid(def: ResourceDef, name: string, causes: StatusCause[]): ApiError {
  const summary = causes.map((c) => `${c.field ?? ""}: ${c.message}`).join(", ");
  const qualifiedKind = def.group ? `${def.kind}.${def.group}` : def.kind;
  const message =
    causes.length === 1
      ? `${qualifiedKind} "${name}" is invalid: ${summary}`
      : `${qualifiedKind} "${name}" is invalid: [${summary}]`;
  return new ApiError(422, "Invalid", message, {
    name,
    group: def.group || undefined,
    kind: def.kind,
    causes,
  });
}

export const expired = (message: string) => new ApiError(410, "Expired", message);

export const unauthorized = () => new ApiError(401, "Unauthorized", "Unauthorized");
