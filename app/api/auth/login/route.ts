import { NextResponse } from "next/server";
import { handler } from "@/lib/api/handler";
import { clientAddress, isHttps } from "@/lib/api/request";
import { createSession, sessionCookie } from "@/lib/auth/session";
import { verifyLogin } from "@/lib/auth/users";

export const POST = handler("POST /api/auth/login", async ({ req, body, audit }) => {
  // A refused sign-in is audited by the wrapper as "denied" with this detail and the reason.
  audit.detail({ username: body.username });
  const user = await verifyLogin(body.username, body.password, clientAddress(req));
  const { cookieValue, expiresAt } = await createSession(user.id);
  audit.actor({ userId: user.id, username: user.username });
  const res = NextResponse.json({ user: { id: user.id, username: user.username, role: user.role } });
  const cookie = sessionCookie(expiresAt, isHttps(req));
  res.cookies.set(cookie.name, cookieValue, cookie.options);
  return res;
});
