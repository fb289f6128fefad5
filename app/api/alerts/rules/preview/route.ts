import { previewRule } from "@/lib/alerts/preview-store";
import { handler } from "@/lib/api/handler";

export const POST = handler("POST /api/alerts/rules/preview", async ({ body }) => ({
  preview: await previewRule(body),
}));
