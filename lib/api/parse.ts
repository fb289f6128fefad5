import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import type { ObjectSchema } from "./spec";

export function zodIssues(error: z.ZodError, prefix?: string) {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = zodIssues(result.error);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new AppError("validation_failed", `Invalid ${what}: ${summary}`, { issues });
  }
  return result.data;
}

/**
 * One rule for every route: a query parameter the route does not declare is
 * refused, naming it (a typo like `?stauts=` must not silently show everything).
 */
export function refuseUnknownQuery(params: URLSearchParams, schema: ObjectSchema | undefined): void {
  const known = new Set(schema ? Object.keys(schema.shape) : []);
  const unknown = [...new Set(params.keys())].filter((k) => !known.has(k));
  if (unknown.length === 0) return;
  const allowed = known.size > 0 ? `; this route takes ${[...known].join(", ")}` : "; this route takes none";
  throw new AppError(
    "bad_request",
    `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}${allowed}`,
    {
      issues: unknown.map((k) => ({ path: k, message: "unknown query parameter" })),
    },
  );
}
