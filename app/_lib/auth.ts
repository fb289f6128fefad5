import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { pageRule } from "@/lib/auth/page-access";
import { hasRole } from "@/lib/auth/roles";
import { type Actor, currentActor } from "@/lib/auth/session";
import { PATH_HEADER } from "@/lib/http/headers";
import { loginPath } from "./safe-next";

/**
 * Every page calls this itself (layouts don't re-run on client navigation and
 * don't know the path): no session → /login?next=<this page>; signed in without
 * the role the page needs (lib/auth/page-access.ts) → the 403 page.
 */
export async function requireActor(path: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(loginPath(path));
  const rule = pageRule(path);
  if (rule && !hasRole(actor.role, rule.role)) forbidden();
  return actor;
}

/** The page's path as the proxy saw it (for the shell's check and the 403 page). */
export async function requestPath(): Promise<string | null> {
  return (await headers()).get(PATH_HEADER);
}

/**
 * The shell's check, before anything streams: a signed-in user opening a page their
 * role does not allow gets HTTP 403, not a 200 that says "not allowed".
 */
export async function guardPage(actor: Actor | null): Promise<void> {
  const path = await requestPath();
  const rule = path ? pageRule(path) : null;
  if (actor && rule && !hasRole(actor.role, rule.role)) forbidden();
}
