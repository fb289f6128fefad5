import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/auth/me", async ({ actor }) => ({
  user: { id: actor.userId, username: actor.username, role: actor.role, via: actor.kind },
}));
