import { expireSilence } from "@/lib/alerts/silences-store";
import { handler } from "@/lib/api/handler";

/** Expires the silence now. */
export const DELETE = handler("DELETE /api/alerts/silences/{id}", async ({ actor, params }) => ({
  silence: await expireSilence(params.id, actor),
}));
