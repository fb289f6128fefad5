import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { siteDetail } from "@/lib/fleet/health";

export const GET = handler({ access: "viewer", params: idParams }, async ({ params }) =>
  siteDetail(params.id),
);
