import type { Metadata } from "next";
import { GrantsManager } from "@/components/embed/grants-manager";
import { listGrants, ownerScope } from "@/lib/embed/grants";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Embeds" };

export default async function EmbedsPage() {
  const actor = await requireActor("/embeds");
  const grants = await listGrants(ownerScope(actor), { state: "all" });
  return (
    <div className="page">
      <GrantsManager initial={grants} isAdmin={actor.role === "admin"} />
    </div>
  );
}
