import type { Metadata } from "next";
import { ContactPointsView } from "@/components/alerts/contact-points-view";
import { PageHeader } from "@/components/ui/page-header";
import { listContactPoints } from "@/lib/alerts/contact-points";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Contact points" };

export default async function ContactPointsPage() {
  await requireActor("/alerts/contact-points");
  const contactPoints = await listContactPoints();
  return (
    <div className="page page--wide">
      <PageHeader
        crumbs={[{ href: "/alerts", label: "Alerts" }]}
        title="Contact points"
        description="Where notifications go: signed webhooks (a superset of Alertmanager's v4 payload) or Slack-compatible incoming webhooks, delivered through an outbox with retries for 24 h."
      />
      <ContactPointsView initial={contactPoints} />
    </div>
  );
}
