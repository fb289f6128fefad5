import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { userUpdateSchema } from "@/lib/auth/schemas";
import { deleteUser, updateUser } from "@/lib/auth/users";

export const PATCH = handler(
  { access: "admin", params: idParams, body: userUpdateSchema },
  async ({ actor, params, body }) => {
    const user = await updateUser(params.id, actor.userId, body);
    await audit({
      actor,
      action: "user.update",
      target: { type: "user", id: user.id },
      result: "ok",
      detail: { role: body.role, isDisabled: body.isDisabled, passwordChanged: Boolean(body.password) },
    });
    return { user };
  },
);

export const DELETE = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  await deleteUser(params.id, actor.userId);
  await audit({ actor, action: "user.delete", target: { type: "user", id: params.id }, result: "ok" });
  return { ok: true };
});
