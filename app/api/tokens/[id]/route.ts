import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { revokeApiToken } from "@/lib/auth/users";

export const DELETE = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  await revokeApiToken(params.id);
  await audit({ actor, action: "token.revoke", target: { type: "token", id: params.id }, result: "ok" });
  return { ok: true };
});
