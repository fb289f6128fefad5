import type { Metadata } from "next";
import { NewDeploymentForm } from "@/components/deploy/new-deployment-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "New deployment" };

export default async function NewDeploymentPage() {
  // Operators and admins (lib/auth/page-access.ts): a viewer gets the 403 page.
  const actor = await requireActor("/deployments/new");
  return (
    <div className="page">
      <PageHeader
        crumbs={[{ href: "/deployments", label: "Deployments" }]}
        title="New deployment"
        description="Paste or upload the manifests. Nothing runs yet: next you choose targets, preview the changes and start the rollout."
      />
      <NewDeploymentForm isAdmin={actor.role === "admin"} />
    </div>
  );
}
