import { loginSchema, passwordChangeSchema } from "@/lib/auth/schemas";
import { route } from "../spec";

export const authRoutes = {
  "POST /api/auth/login": route({
    access: "public",
    summary: "Sign in with username and password; sets the session cookie",
    body: loginSchema,
    audit: { action: "auth.login" },
  }),
  "POST /api/auth/logout": route({
    access: "public",
    summary: "Sign out: ends the session of the cookie sent",
  }),
  "POST /api/auth/password": route({
    access: "viewer",
    summary: "Change your own password (current password required; your other sessions end)",
    body: passwordChangeSchema,
    audit: { action: "user.password_change", target: "user" },
  }),
  "GET /api/auth/me": route({
    access: "viewer",
    summary: "Who the caller is (user, role, session or token)",
  }),
};
