import { handler } from "@/lib/api/handler";
import { createApiToken, listApiTokens } from "@/lib/auth/users";

export const GET = handler("GET /api/tokens", async () => ({ items: await listApiTokens() }));

// The token is in this response and nowhere else, ever.
export const POST = handler("POST /api/tokens", async ({ actor, body, audit }) => {
  const { token, view } = await createApiToken(actor.userId, actor.role, body);
  audit.target(view.id);
  audit.detail({ name: view.name, role: view.role });
  return { token, item: view };
});
