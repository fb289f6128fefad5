import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { forwarded } from "./request";

/**
 * The origin this app is served at: OUTPOST_PUBLIC_URL when set; otherwise the
 * request's scheme and host (forwarded ones only behind a proxy we were told to trust).
 */
export function ownOrigin(req: NextRequest): string {
  const configured = env().OUTPOST_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = forwarded(req, "x-forwarded-host") ?? req.headers.get("host");
  const proto = forwarded(req, "x-forwarded-proto") ?? req.nextUrl.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

/**
 * Unsafe methods from a browser must come from our own origin, scheme and host
 * alike (login included: a cross-site login plants the attacker's session).
 * SameSite=Lax already keeps the cookie off cross-site POSTs; this also covers
 * same-site subdomains, older browsers, and requests that carry no cookie.
 */
export function checkOrigin(req: NextRequest): void {
  const origin = req.headers.get("origin");
  if (origin) {
    let given: string | null = null;
    try {
      given = new URL(origin).origin;
    } catch {
      given = null;
    }
    if (given !== null && given !== "null" && given === ownOrigin(req)) return;
    throw new AppError("csrf_rejected", `Cross-origin request refused (Origin ${origin.slice(0, 100)})`);
  }
  // Browsers send Origin on every unsafe fetch; Sec-Fetch-Site cannot be set by a page.
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite === "same-origin") return;
  throw new AppError(
    "csrf_rejected",
    "Request without an Origin header refused; send it from the Outpost UI or use an API token",
  );
}
