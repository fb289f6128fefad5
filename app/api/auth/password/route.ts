import { handler } from "@/lib/api/handler";
import { changeOwnPassword } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";

export const POST = handler("POST /api/auth/password", async ({ actor, body, audit }) => {
  audit.target(actor.userId);
  // A token is for automation; a password belongs to the person, who signs in to change it.
  if (actor.kind !== "session")
    throw new AppError("forbidden", "Sign in to change your password; API tokens cannot do it");
  await changeOwnPassword(actor.userId, actor.credentialId, body);
  return { ok: true };
});
