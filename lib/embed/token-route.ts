import "server-only";
import type { RouteHandler } from "@/lib/api/handler";
import type { RouteKey } from "@/lib/api/routes";

// Route handlers of the embed token zone, tied to their entry in the route
// table (access "embed-token") so the route × role matrix and the API document
// cover them. Unlike the session wrapper nothing here authenticates: the serve
// function verifies the path token itself and never reads a cookie.

export function tokenRoute(
  key: RouteKey,
  serve: (req: Request, token: string) => Promise<Response>,
): RouteHandler {
  const run = async (req: Request, segment?: { params?: Promise<Record<string, string | string[]>> }) => {
    const raw = (await segment?.params)?.token;
    return serve(req, typeof raw === "string" ? raw : "");
  };
  return Object.assign(run, { routeKey: key }) as RouteHandler;
}
