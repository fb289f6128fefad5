import { handler } from "@/lib/api/handler";
import { servePreview } from "@/lib/embed/preview";

// The Embed dialog's live preview: same renderer and data as an embed, framed by Outpost only.
export const GET = handler("GET /api/embed-grants/preview", async ({ req, query }) =>
  servePreview(req, query),
);
