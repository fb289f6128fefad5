import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentDetailView } from "@/components/deploy/deployment-detail";
import { hasRole } from "@/lib/auth/roles";
import {
  type DeploymentDetail,
  deploymentDetail,
  type RolloutDetail,
  rolloutDetail,
} from "@/lib/deploy/views";
import { AppError } from "@/lib/errors";
import { requireActor } from "../../../_lib/auth";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ to?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Deployment ${decodeURIComponent(name)}` };
}

export default async function DeploymentPage({ params, searchParams }: Props) {
  const { name } = await params;
  // ?to=<selector> preselects targets (the fleet list links here with its current filter).
  const { to } = await searchParams;
  const initialTargets = typeof to === "string" ? to.slice(0, 2000) : undefined;
  const actor = await requireActor(`/deployments/${name}`);
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
    />
  );
}
