import "server-only";
import type { NextRequest } from "next/server";
import { isHttps } from "@/lib/api/request";
import { env } from "@/lib/env";

/** Where portals reach Outpost: OUTPOST_PUBLIC_URL, else the address this request came to. */
export function publicBaseUrl(req: NextRequest): string {
  const configured = env().OUTPOST_PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host =
    (env().OUTPOST_TRUST_PROXY ? req.headers.get("x-forwarded-host") : null) ??
    req.headers.get("host") ??
    req.nextUrl.host;
  return `${isHttps(req) ? "https" : "http"}://${host}`;
}
