import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentDetailView } from "@/components/deploy/deployment-detail";
import { hasRole } from "@/lib/auth/roles";
import { parseSelectionParams, SELECTOR_TEXT_MAX } from "@/lib/deploy/fleet-selection";
import { resolveFleetSelection } from "@/lib/deploy/fleet-selection-resolve";
import {
  type DeploymentDetail,
  deploymentDetail,
  type RolloutDetail,
  rolloutDetail,
} from "@/lib/deploy/views";
import { AppError } from "@/lib/errors";
import { fleetFilterParams, parseFleetFilters } from "@/lib/queries/fleet-health";
import { requireActor } from "../../../_lib/auth";

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Deployment ${decodeURIComponent(name)}` };
}

export default async function DeploymentPage({ params, searchParams }: Props) {
  const { name } = await params;
  // ?to=<selector> preselects targets (sites ticked in the fleet list); ?fleet=<filter>&except=…
  // is "all sites matching" there, resolved here so the page shows exactly what would run.
  const sp = await searchParams;
  const to = one(sp.to);
  const initialTargets = to !== undefined ? to.slice(0, SELECTOR_TEXT_MAX) : undefined;
  const actor = await requireActor(`/deployments/${name}`);
  const request = parseSelectionParams((k) => one(sp[k]));
  // Read the filter as leniently as the control center reads its own address (unknown values dropped).
  const fleet = request
    ? fleetFilterParams(parseFleetFilters((k) => new URLSearchParams(request.fleet).get(k))).toString()
    : "";
  const fleetSelection = request ? await resolveFleetSelection({ ...request, fleet }) : undefined;
  let detail: DeploymentDetail;
  try {
    detail = await deploymentDetail(decodeURIComponent(name));
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  const latest = detail.rollouts[0];
  const rollout: RolloutDetail | null = latest ? await rolloutDetail(latest.id) : null;
  return (
    <DeploymentDetailView
      initial={detail}
      initialRollout={rollout}
      isOperator={hasRole(actor.role, "operator")}
      isAdmin={hasRole(actor.role, "admin")}
      initialTargets={initialTargets}
      fleetSelection={fleetSelection}
    />
  );
}
