import { PageHeader } from "@/components/ui/page-header";
import type { RolloutDetail } from "@/lib/queries/deployments";
import { RolloutPanel } from "./rollout-panel";

/** Renderer: a rollout's own page (deep link from the deployment's history). */
export function RolloutPage({ initial, isOperator }: { initial: RolloutDetail; isOperator: boolean }) {
  const href = `/deployments/${encodeURIComponent(initial.deploymentName)}`;
  return (
    <div className="page page--wide">
      <PageHeader
        crumbs={[
          { href: "/deployments", label: "Deployments" },
          { href, label: initial.deploymentName },
        ]}
        title={`${initial.deploymentName}: ${initial.kind} ${initial.revision ? `r${initial.revision}` : ""}`}
      />
      <RolloutPanel initial={initial} isOperator={isOperator} />
    </div>
  );
}
