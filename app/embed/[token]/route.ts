import { servePage } from "@/lib/embed/serve";

// Token zone: no session, no cookies; the token in the path is the credential (lib/embed/access.ts).
export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ token: string }> }): Promise<Response> {
  return servePage(req, (await ctx.params).token);
}
