import { serveData } from "@/lib/embed/serve";

// Token zone: what an embed shows, as JSON or (?format=csv) CSV. No session, no cookies.
export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ token: string }> }): Promise<Response> {
  return serveData(req, (await ctx.params).token);
}
