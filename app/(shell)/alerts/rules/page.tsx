import type { Metadata } from "next";
import { RulesView } from "@/components/alerts/rules-view";
import { PageHeader } from "@/components/ui/page-header";
import { listRules } from "@/lib/alerts/rules-store";
import { hasRole } from "@/lib/auth/roles";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Alert rules" };

export default async function AlertRulesPage() {
  const actor = await requireActor("/alerts/rules");
  const rules = await listRules();
  return (
    <div className="page page--wide">
      <PageHeader
        crumbs={[{ href: "/alerts", label: "Alerts" }]}
        title="Rules"
        description="What raises an alert, how long it must hold, how it clears, and who hears about it."
      />
      <RulesView
        initial={rules}
        isAdmin={hasRole(actor.role, "admin")}
        canPreview={hasRole(actor.role, "operator")}
      />
    </div>
  );
}
