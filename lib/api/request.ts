import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";

/** The client address for rate limiting; forwarded headers only count behind a trusted proxy. */
export function clientIp(req: NextRequest): string {
  if (env().OUTPOST_TRUST_PROXY) {
    const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return "direct";
}

export function isHttps(req: NextRequest): boolean {
  return (
    req.nextUrl.protocol === "https:" ||
    (env().OUTPOST_TRUST_PROXY && req.headers.get("x-forwarded-proto") === "https")
  );
}
