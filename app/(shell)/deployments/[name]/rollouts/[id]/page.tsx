import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RolloutPage } from "@/components/deploy/rollout-page";
import { hasRole } from "@/lib/auth/roles";
import { type RolloutDetail, rolloutDetail } from "@/lib/deploy/views";
import { AppError } from "@/lib/errors";
import { requireActor } from "../../../../../_lib/auth";

type Props = { params: Promise<{ name: string; id: string }> };

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutRoute({ params }: Props) {
  const { name, id } = await params;
  const actor = await requireActor(`/deployments/${name}/rollouts/${id}`);
  let rollout: RolloutDetail;
  try {
    rollout = await rolloutDetail(id);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  if (rollout.deploymentName !== decodeURIComponent(name)) notFound();
  return <RolloutPage initial={rollout} isOperator={hasRole(actor.role, "operator")} />;
}
