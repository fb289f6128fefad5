import type { Metadata } from "next";
import Link from "next/link";
import { DeploymentList } from "@/components/deploy/deployment-list";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { listDeployments } from "@/lib/deploy/views";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  const actor = await requireActor("/deployments");
  const first = await listDeployments({ limit: 50 });
  return (
    <div className="page page--wide">
      <PageHeader
        title="Deployments"
        description="Manifests rolled out to the fleet in waves, and workload restarts — with what every site is doing, and since when."
        actions={
          hasRole(actor.role, "operator") ? (
            <Link className="button button--primary" href="/deployments/new">
              New deployment
            </Link>
          ) : null
        }
      />
      <DeploymentList initial={first} />
    </div>
  );
}
