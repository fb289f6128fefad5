import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import type { z } from "zod";
import { hasRole, type Role } from "@/lib/auth/roles";
import { type Actor, actorFromBearer, actorFromSessionCookie, SESSION_COOKIE } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { log } from "@/lib/log";

// Every route handler goes through here: authentication, the role check (the
// route's own, never middleware's), CSRF for cookie sessions, zod parsing of
// body/query/params, and mapping errors to JSON. Unknown errors become a bare 500.

type Access = Role | "public";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

export interface HandlerContext<B, Q, P, A extends Access> {
  req: NextRequest;
  actor: A extends "public" ? Actor | null : Actor;
  body: B;
  query: Q;
  params: P;
}

interface RouteSpec<
  BS extends z.ZodType | undefined,
  QS extends z.ZodType | undefined,
  PS extends z.ZodType | undefined,
  A extends Access,
> {
  access: A;
  body?: BS;
  query?: QS;
  params?: PS;
}

type Out<S> = S extends z.ZodType ? z.infer<S> : undefined;

export function zodIssues(error: z.ZodError, prefix?: string) {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = zodIssues(result.error);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new AppError("validation_failed", `Invalid ${what}: ${summary}`, { issues });
  }
  return result.data;
}

function checkCsrf(req: NextRequest): void {
  // SameSite=Lax already keeps the cookie off cross-site POSTs; checking Origin
  // as well covers older browsers and same-site subdomains.
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site");
  // A forwarded host only counts behind a proxy we were told to trust.
  const host =
    (env().OUTPOST_TRUST_PROXY ? req.headers.get("x-forwarded-host") : null) ?? req.headers.get("host");
  if (origin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost && originHost === host) return;
    throw new AppError("csrf_rejected", "Cross-site request refused");
  }
  if (fetchSite === "same-origin" || fetchSite === "none") return;
  throw new AppError(
    "csrf_rejected",
    "Request without an Origin header refused; send it from the Outpost UI or use an API token",
  );
}

export async function authenticate(req: NextRequest): Promise<Actor | null> {
  const bearer = req.headers.get("authorization");
  if (bearer) {
    const actor = await actorFromBearer(bearer);
    if (!actor) throw new AppError("unauthenticated", "Invalid, expired or revoked API token");
    return actor;
  }
  const actor = await actorFromSessionCookie(req.cookies.get(SESSION_COOKIE)?.value);
  if (actor && UNSAFE_METHODS.has(req.method)) checkCsrf(req);
  return actor;
}

async function readJson(req: NextRequest): Promise<unknown> {
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_JSON_BODY_BYTES)
    throw new AppError("bad_request", `Request body larger than ${MAX_JSON_BODY_BYTES} bytes`);
  const text = await req.text();
  if (text.length > MAX_JSON_BODY_BYTES)
    throw new AppError("bad_request", `Request body larger than ${MAX_JSON_BODY_BYTES} bytes`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body is not valid JSON");
  }
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

export function handler<
  A extends Access,
  BS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  PS extends z.ZodType | undefined = undefined,
>(
  spec: RouteSpec<BS, QS, PS, A>,
  fn: (ctx: HandlerContext<Out<BS>, Out<QS>, Out<PS>, A>) => Promise<unknown>,
) {
  return async (
    req: NextRequest,
    segment?: { params?: Promise<Record<string, string | string[]>> },
  ): Promise<Response> => {
    try {
      const actor = await authenticate(req);
      if (spec.access !== "public") {
        if (!actor) throw new AppError("unauthenticated", "Sign in or send an API token");
        if (!hasRole(actor.role, spec.access)) {
          throw new AppError("forbidden", `This needs the ${spec.access} role; you are ${actor.role}`);
        }
      }
      const params = spec.params ? parseWith(spec.params, (await segment?.params) ?? {}, "path") : undefined;
      const query = spec.query
        ? parseWith(spec.query, Object.fromEntries(req.nextUrl.searchParams), "query")
        : undefined;
      const body = spec.body ? parseWith(spec.body, await readJson(req), "request body") : undefined;
      const result = await fn({ req, actor, body, query, params } as HandlerContext<
        Out<BS>,
        Out<QS>,
        Out<PS>,
        A
      >);
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
