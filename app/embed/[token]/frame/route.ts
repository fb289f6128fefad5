import { serveFrame } from "@/lib/embed/serve";

// Token zone: the refreshed inside of an embed frame (fetched by its script).
export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ token: string }> }): Promise<Response> {
  return serveFrame(req, (await ctx.params).token);
}
