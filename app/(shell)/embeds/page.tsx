import type { Metadata } from "next";
import { GrantsManager } from "@/components/embed/grants-manager";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { listGrants, ownerScope } from "@/lib/embed/grants";
import { requireRole } from "../../_lib/auth";

export const metadata: Metadata = { title: "Embeds" };

export default async function EmbedsPage() {
  const { actor, isAllowed } = await requireRole("/embeds", "operator");
  if (!isAllowed) return <ForbiddenPage required="operator" actual={actor.role} what="Managing embeds" />;
  const grants = await listGrants(ownerScope(actor), { state: "all" });
  return (
    <div className="page">
      <GrantsManager initial={grants} isAdmin={actor.role === "admin"} />
    </div>
  );
}
