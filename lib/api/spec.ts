import type { z } from "zod";
import type { Role } from "@/lib/auth/roles";

// What every route declares about itself, in one table (lib/api/routes/): who may
// call it, the zod schemas of its path, query and body, one line for the API
// document, and the audit action it records. The handler wrapper enforces it, the
// route × role matrix test checks it, /api/openapi.json publishes it.

/**
 * "embed-token": the token zone of embeds (lib/embed): the token in the path is
 * the only credential; sessions and API tokens are never read, so every caller
 * gets the same answer. Served by lib/embed/token-route.ts, not the wrapper.
 */
export type Access = Role | "public" | "embed-token";
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** "METHOD /api/path/{param}": the path as the file system has it, `[id]` written `{id}` */
export type RouteKeyPattern = `${HttpMethod} /api/${string}`;

// biome-ignore lint/suspicious/noExplicitAny: any object schema; its shape is read, never its types
export type ObjectSchema = z.ZodObject<any>;

export interface AuditSpec {
  /** dotted verb, e.g. "site.create" */
  action: string;
  /** what the action is done to, e.g. "site"; the id defaults to the `id` path parameter */
  target?: string;
}

export interface RouteSpec<
  A extends Access = Access,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
> {
  access: A;
  /** one line for the API document */
  summary: string;
  /** JSON request body; requests must then be `application/json` */
  body?: B;
  /** query parameters; any parameter not in the schema is refused (400, named) */
  query?: Q;
  /** path parameters, e.g. `{ id }` */
  params?: P;
  /** the 200 answer, for the API document (optional) */
  response?: z.ZodType;
  /** recorded by the wrapper: ok after success; denied/error when the handler refuses or fails */
  audit?: AuditSpec;
}

export type AnyRouteSpec = RouteSpec;

/** Declares one route; keeps the schemas' types for the handler's context. */
export function route<
  A extends Access,
  B extends z.ZodType | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  P extends ObjectSchema | undefined = undefined,
>(spec: RouteSpec<A, B, Q, P>): RouteSpec<A, B, Q, P> {
  return spec;
}

export function splitRouteKey(key: string): { method: HttpMethod; path: string } {
  const [method, path] = key.split(" ");
  if (!method || !path || !(HTTP_METHODS as readonly string[]).includes(method))
    throw new Error(`bad route key "${key}": use "METHOD /api/path"`);
  return { method: method as HttpMethod, path };
}
