import { handler } from "@/lib/api/handler";
import { createUser, listUsers } from "@/lib/auth/users";

export const GET = handler("GET /api/users", async () => ({ items: await listUsers() }));

export const POST = handler("POST /api/users", async ({ body, audit }) => {
  const user = await createUser(body);
  audit.target(user.id);
  audit.detail({ username: user.username, role: user.role });
  return { user };
});
