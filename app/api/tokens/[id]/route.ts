import { handler } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth/users";

export const DELETE = handler("DELETE /api/tokens/{id}", async ({ params }) => {
  await revokeApiToken(params.id);
  return { ok: true };
});
