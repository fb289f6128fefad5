import { NextResponse } from "next/server";
import { handler } from "@/lib/api/handler";
import { isHttps } from "@/lib/api/request";
import {
  destroySession,
  isSecureSession,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionCookieFrom,
} from "@/lib/auth/session";

export const POST = handler("POST /api/auth/logout", async ({ req }) => {
  const value = sessionCookieFrom((n) => req.cookies.get(n)?.value, isSecureSession(isHttps(req)));
  if (value) await destroySession(value);
  const res = NextResponse.json({ ok: true });
  res.cookies.delete(SESSION_COOKIE);
  res.cookies.set(SECURE_SESSION_COOKIE, "", { path: "/", secure: true, httpOnly: true, maxAge: 0 });
  return res;
});
