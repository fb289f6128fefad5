import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { tokenCreateSchema } from "@/lib/auth/schemas";
import { createApiToken, listApiTokens } from "@/lib/auth/users";

export const GET = handler({ access: "admin" }, async () => ({ items: await listApiTokens() }));

// The token is in this response and nowhere else, ever.
export const POST = handler({ access: "admin", body: tokenCreateSchema }, async ({ actor, body }) => {
  const { token, view } = await createApiToken(actor.userId, actor.role, body);
  await audit({
    actor,
    action: "token.create",
    target: { type: "token", id: view.id },
    result: "ok",
    detail: { name: view.name, role: view.role },
  });
  return { token, item: view };
});
