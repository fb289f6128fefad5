import { NextResponse } from "next/server";
import { handler } from "@/lib/api/handler";
import { clientIp, isHttps } from "@/lib/api/request";
import { audit } from "@/lib/audit";
import { loginSchema } from "@/lib/auth/schemas";
import { createSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session";
import { verifyLogin } from "@/lib/auth/users";
import { isAppError } from "@/lib/errors";

export const POST = handler({ access: "public", body: loginSchema }, async ({ req, body }) => {
  try {
    const user = await verifyLogin(body.username, body.password, clientIp(req));
    const { cookieValue, expiresAt } = await createSession(user.id);
    await audit({ actor: { userId: user.id, username: user.username }, action: "auth.login", result: "ok" });
    const res = NextResponse.json({ user: { id: user.id, username: user.username, role: user.role } });
    res.cookies.set(SESSION_COOKIE, cookieValue, sessionCookieOptions(expiresAt, isHttps(req)));
    return res;
  } catch (err) {
    if (isAppError(err)) {
      await audit({
        actor: null,
        action: "auth.login",
        result: "denied",
        detail: { username: body.username, reason: err.code },
      });
    }
    throw err;
  }
});
