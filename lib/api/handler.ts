import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import type { z } from "zod";
import { type AuditInput, audit } from "@/lib/audit";
import { hasRole } from "@/lib/auth/roles";
import {
  type Actor,
  actorFromBearer,
  actorFromSessionCookie,
  isSecureSession,
  sessionCookieFrom,
} from "@/lib/auth/session";
import { AppError, type ErrorCode, isAppError } from "@/lib/errors";
import { API_CSP } from "@/lib/http/csp";
import { log } from "@/lib/log";
import { readJsonBody } from "./body";
import { checkOrigin } from "./origin";
import { parseWith, refuseUnknownQuery } from "./parse";
import { isHttps } from "./request";
import { ROUTES, type RouteKey } from "./routes";
import type { Access, ObjectSchema, RouteSpec } from "./spec";

// Every route handler goes through here, declared by its entry in the route table
// (lib/api/routes/): authentication, the role check (the route's own, never
// middleware's), Origin on unsafe methods, content type, zod parsing of
// path/query/body, auditing, and mapping errors to JSON. Unknown errors become a bare 500.

export { zodIssues } from "./parse";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What a handler adds to the audit record the wrapper writes for its route. */
export interface AuditNote {
  /** the target's id (default: the `id` path parameter) */
  target(id: string | null | undefined): void;
  /** merged into the record's detail; never secrets: names, ids and outcomes only */
  detail(detail: Record<string, unknown>): void;
  /** who acted when that is not the caller (a login: the user who signed in) */
  actor(actor: Pick<Actor, "userId" | "username">): void;
  /** "error" for an operation that answered but did not succeed (a failed connection test) */
  result(result: "ok" | "error"): void;
}

export interface HandlerContext<B, Q, P, A extends Access> {
  req: NextRequest;
  actor: A extends "public" ? Actor | null : Actor;
  body: B;
  query: Q;
  params: P;
  audit: AuditNote;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type ContextOf<S> =
  S extends RouteSpec<infer A, infer B, infer Q, infer P> ? HandlerContext<Out<B>, Out<Q>, Out<P>, A> : never;

export type RouteHandler = ((
  req: NextRequest,
  segment?: { params?: Promise<Record<string, string | string[]>> },
) => Promise<Response>) & { routeKey: RouteKey };

export async function authenticate(req: NextRequest): Promise<Actor | null> {
  const bearer = req.headers.get("authorization");
  if (bearer) {
    const actor = await actorFromBearer(bearer);
    if (!actor) throw new AppError("unauthenticated", "Invalid, expired or revoked API token");
    return actor;
  }
  return actorFromSessionCookie(
    sessionCookieFrom((n) => req.cookies.get(n)?.value, isSecureSession(isHttps(req))),
  );
}

export function errorResponse(err: unknown): NextResponse {
  if (isAppError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds) headers["retry-after"] = String(err.retryAfterSeconds);
    return NextResponse.json(err.toBody(), { status: err.status, headers });
  }
  log.error("unhandled error in route", { error: err instanceof Error ? err.message : String(err) });
  return NextResponse.json(
    { error: { code: "internal", message: "Internal error", issues: [] } },
    { status: 500 },
  );
}

const DENIED: ReadonlySet<ErrorCode> = new Set([
  "unauthenticated",
  "forbidden",
  "csrf_rejected",
  "rate_limited",
]);

class AuditRecord implements AuditNote {
  private targetId: string | null | undefined;
  private extra: Record<string, unknown> = {};
  private who: Pick<Actor, "userId" | "username"> | null | undefined;
  private outcome: "ok" | "error" = "ok";

  target(id: string | null | undefined): void {
    this.targetId = id;
  }
  detail(detail: Record<string, unknown>): void {
    Object.assign(this.extra, detail);
  }
  actor(actor: Pick<Actor, "userId" | "username">): void {
    this.who = actor;
  }
  result(result: "ok" | "error"): void {
    this.outcome = result;
  }

  input(
    spec: RouteSpec,
    actor: Actor | null,
    params: unknown,
    failure?: { result: "denied" | "error"; reason: string },
  ): AuditInput | null {
    if (!spec.audit) return null;
    const paramId = (params as { id?: unknown } | undefined)?.id;
    const id = this.targetId !== undefined ? this.targetId : typeof paramId === "string" ? paramId : null;
    const hasDetail = Object.keys(this.extra).length > 0 || failure;
    return {
      actor: this.who ?? actor,
      action: spec.audit.action,
      target: spec.audit.target ? { type: spec.audit.target, id } : undefined,
      result: failure?.result ?? this.outcome,
      detail: hasDetail ? { ...this.extra, ...(failure ? { reason: failure.reason } : {}) } : undefined,
    };
  }
}

function failureOf(err: unknown): { result: "denied" | "error"; reason: string } {
  if (isAppError(err)) return { result: DENIED.has(err.code) ? "denied" : "error", reason: err.code };
  return { result: "error", reason: "internal" };
}

async function recordFailure(record: AuditInput | null): Promise<void> {
  if (!record) return;
  // The original error is what the caller must see; a failed audit write is logged.
  await audit(record).catch((e: unknown) =>
    log.error("audit write failed", {
      action: record.action,
      error: e instanceof Error ? e.message : String(e),
    }),
  );
}

/**
 * JSON is never framed or executed: it gets a CSP that loads nothing. A route that
 * answers a document of its own (the embed preview) sets its CSP, and keeps it.
 */
function withApiPolicy(res: Response): Response {
  if (!res.headers.has("content-security-policy")) res.headers.set("content-security-policy", API_CSP);
  return res;
}

/**
 * The route handler for one entry of the route table, e.g.
 * `export const POST = handler("POST /api/sites", async ({ body, audit }) => …)`.
 */
export function handler<K extends RouteKey>(
  key: K,
  fn: (ctx: ContextOf<(typeof ROUTES)[K]>) => Promise<unknown>,
): RouteHandler {
  const spec: RouteSpec = ROUTES[key];
  // The token zone never reads a session or an API token (lib/embed/token-route.ts serves it).
  if (spec.access === "embed-token") throw new Error(`${key} is a token-zone route: use tokenRoute()`);
  const access = spec.access;
  const run = async (
    req: NextRequest,
    segment?: { params?: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    const note = new AuditRecord();
    let actor: Actor | null = null;
    let params: unknown;
    let isAttempted = false;
    try {
      actor = await authenticate(req);
      const isUnsafe = UNSAFE_METHODS.has(req.method);
      // A bearer token is not ambient like a cookie: only browser-style requests need a same-origin Origin.
      if (isUnsafe && actor?.kind !== "token") checkOrigin(req);
      if (access !== "public") {
        if (!actor) throw new AppError("unauthenticated", "Sign in or send an API token");
        if (!hasRole(actor.role, access)) {
          isAttempted = true;
          throw new AppError("forbidden", `This needs the ${access} role; you are ${actor.role}`);
        }
      }
      params = spec.params ? parseWith(spec.params, (await segment?.params) ?? {}, "path") : undefined;
      refuseUnknownQuery(req.nextUrl.searchParams, spec.query as ObjectSchema | undefined);
      const query = spec.query
        ? parseWith(spec.query, Object.fromEntries(req.nextUrl.searchParams), "query")
        : undefined;
      const body = spec.body ? parseWith(spec.body, await readJsonBody(req), "request body") : undefined;
      isAttempted = true;
      const result = await fn({ req, actor, body, query, params, audit: note } as unknown as ContextOf<
        (typeof ROUTES)[K]
      >);
      const record = note.input(spec, actor, params);
      if (record) await audit(record);
      if (result instanceof Response) return withApiPolicy(result);
      return withApiPolicy(NextResponse.json(result ?? { ok: true }));
    } catch (err) {
      // Refusals before the handler ran (no credentials, bad input) are not actions; a role too low is.
      if (isAttempted) await recordFailure(note.input(spec, actor, params, failureOf(err)));
      return withApiPolicy(errorResponse(err));
    }
  };
  return Object.assign(run, { routeKey: key });
}
