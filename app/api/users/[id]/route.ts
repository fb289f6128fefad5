import { handler } from "@/lib/api/handler";
import { deleteUser, updateUser } from "@/lib/auth/users";

export const PATCH = handler("PATCH /api/users/{id}", async ({ actor, params, body, audit }) => {
  audit.detail({ role: body.role, isDisabled: body.isDisabled, passwordChanged: Boolean(body.password) });
  const user = await updateUser(params.id, actor.userId, body);
  return { user };
});

export const DELETE = handler("DELETE /api/users/{id}", async ({ actor, params }) => {
  await deleteUser(params.id, actor.userId);
  return { ok: true };
});
