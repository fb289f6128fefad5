import { NextResponse } from "next/server";
import { handler } from "@/lib/api/handler";
import { destroySession, SESSION_COOKIE } from "@/lib/auth/session";

export const POST = handler("POST /api/auth/logout", async ({ req }) => {
  const value = req.cookies.get(SESSION_COOKIE)?.value;
  if (value) await destroySession(value);
  const res = NextResponse.json({ ok: true });
  res.cookies.delete(SESSION_COOKIE);
  return res;
});
