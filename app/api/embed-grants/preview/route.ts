import { handler } from "@/lib/api/handler";
import { servePreview } from "@/lib/embed/preview";
import { previewQuerySchema } from "@/lib/embed/schemas";

// The Embed dialog's live preview: same renderer and data as an embed, framed by Outpost only.
export const GET = handler({ access: "operator", query: previewQuerySchema }, async ({ req, query }) =>
  servePreview(req, query),
);
