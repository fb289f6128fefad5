import type { Metadata } from "next";
import { NewDeploymentForm } from "@/components/deploy/new-deployment-form";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "New deployment" };

export default async function NewDeploymentPage() {
  const { actor, isAllowed } = await requireRole("/deployments/new", "operator");
  if (!isAllowed) return <ForbiddenPage required="operator" actual={actor.role} what="create deployments" />;
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
