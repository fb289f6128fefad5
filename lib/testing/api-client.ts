import { NextRequest } from "next/server";

// Calls route handlers in-process with real NextRequest objects, so the API's
// auth, CSRF, validation and error mapping are tested without a browser.
type RouteFn = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export const TEST_ORIGIN = "http://outpost.test";

export interface CallOptions {
  body?: unknown;
  cookie?: string;
  bearer?: string;
  origin?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** extra request headers (e.g. the peer address server.mjs stamps) */
  headers?: Record<string, string>;
}

export async function call(
  route: RouteFn,
  method: string,
  opts: CallOptions = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on many response shapes; a typed client would only restate them
): Promise<{ status: number; json: any; headers: Headers; text: string }> {
  const url = new URL("/api/x", TEST_ORIGIN);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ host: "outpost.test" });
  if (opts.body !== undefined) headers.set("content-type", "application/json");
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.bearer) headers.set("authorization", `Bearer ${opts.bearer}`);
  if (opts.origin !== null && method !== "GET") headers.set("origin", opts.origin ?? TEST_ORIGIN);
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
  const req = new NextRequest(url, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
          ? opts.body
          : JSON.stringify(opts.body),
  });
  const res = await route(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers, text };
}

export function sessionCookieFrom(res: { headers: Headers }): string {
  const setCookie = res.headers.get("set-cookie") ?? "";
  const m = setCookie.match(/((?:__Host-)?outpost_session)=([^;]+)/);
  if (!m) throw new Error("no session cookie in response");
  return `${m[1]}=${m[2]}`;
}
