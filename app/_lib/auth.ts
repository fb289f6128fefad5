import "server-only";
import { redirect } from "next/navigation";
import { hasRole, type Role } from "@/lib/auth/roles";
import { type Actor, currentActor } from "@/lib/auth/session";
import { loginPath } from "./safe-next";

/**
 * Every page calls this itself (layouts don't re-run on client navigation and
 * don't know the path): no session → /login?next=<this page>.
 */
export async function requireActor(path: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(loginPath(path));
  return actor;
}

export type Access = { actor: Actor; isAllowed: boolean };

/** Signed in, plus whether the role suffices; the page renders a 403 itself when not. */
export async function requireRole(path: string, role: Role): Promise<Access> {
  const actor = await requireActor(path);
  return { actor, isAllowed: hasRole(actor.role, role) };
}
