import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, HSTS, newNonce } from "@/lib/http/csp";
import { PATH_HEADER } from "@/lib/http/headers";

// Security headers that depend on the request: a nonce-based CSP for every page,
// HSTS over https, and the path for the shell's role check (so a forbidden page
// can answer 403 before streaming starts). Not an auth boundary: every page and
// route handler checks access itself. /embed/* sets its own CSP (frame-ancestors
// from the embed grant) with lib/http/csp.ts.

function isHttps(req: NextRequest): boolean {
  // HSTS is ignored on plain http, so believing a forwarded proto costs nothing here.
  return req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto")?.split(",")[0] === "https";
}

export function proxy(req: NextRequest) {
  const https = isHttps(req);
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/")) {
    // The CSP of API answers comes from the handler wrapper (lib/api/handler.ts): a header
    // set here would replace the one a route sets for a document of its own.
    const res = NextResponse.next();
    if (https) res.headers.set("strict-transport-security", HSTS);
    return res;
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set(PATH_HEADER, path);
  if (path.startsWith("/embed/")) {
    const res = NextResponse.next({ request: { headers: requestHeaders } });
    if (https) res.headers.set("strict-transport-security", HSTS);
    return res;
  }
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    isDev: process.env.NODE_ENV === "development",
    isHttps: https,
  });
  // Next.js reads the nonce back from the request's CSP header and puts it on its scripts.
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  res.headers.set("x-frame-options", "DENY");
  if (https) res.headers.set("strict-transport-security", HSTS);
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|screenshots/).*)"],
};
