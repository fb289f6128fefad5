import { serveData } from "@/lib/embed/serve";
import { tokenRoute } from "@/lib/embed/token-route";

// Token zone: what an embed shows, as JSON or (?format=csv) CSV. No session, no cookies.
export const dynamic = "force-dynamic";

export const GET = tokenRoute("GET /api/embed/{token}/data", serveData);
