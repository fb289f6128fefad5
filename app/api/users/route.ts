import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { userCreateSchema } from "@/lib/auth/schemas";
import { createUser, listUsers } from "@/lib/auth/users";

export const GET = handler({ access: "admin" }, async () => ({ items: await listUsers() }));

export const POST = handler({ access: "admin", body: userCreateSchema }, async ({ actor, body }) => {
  const user = await createUser(body);
  await audit({
    actor,
    action: "user.create",
    target: { type: "user", id: user.id },
    result: "ok",
    detail: { username: user.username, role: user.role },
  });
  return { user };
});
