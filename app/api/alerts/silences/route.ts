import { createSilence, listSilences } from "@/lib/alerts/silences-store";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts/silences", async () => ({ silences: await listSilences() }));

export const POST = handler("POST /api/alerts/silences", async ({ actor, body, audit }) => {
  const silence = await createSilence(body, actor);
  audit.target(silence.id);
  audit.detail({ matchers: silence.matchers, endsAt: silence.endsAt, comment: silence.comment });
  return { silence };
});
