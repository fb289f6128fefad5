import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  await requireActor("/alerts");
  return (
    <ComingSoon
      title="Alerts"
      summary="Problems across the fleet, newest first."
      items={[
        "list firing and recent alerts per site and cluster, with since-when and last-seen times",
        "treat sites inside their expected offline window (vehicles, intermittent links) as quiet, not down",
        "flag sensors and clusters that silently stop reporting, not only those that report errors",
        "let operators acknowledge and silence alerts for a site under maintenance",
      ]}
    />
  );
}
