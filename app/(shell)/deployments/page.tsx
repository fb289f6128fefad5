import type { Metadata } from "next";
import { ComingSoon } from "@/components/ui/coming-soon";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage() {
  await requireActor("/deployments");
  return (
    <ComingSoon
      title="Deployments"
      summary="Rolling workloads out across many sites."
      items={[
        "roll a workload out to sites chosen by label, in batches, with a pause button",
        "show per-site progress, including sites that are offline and will catch up later",
        "skip sites under maintenance, and let operators take ownership of fields with server-side apply",
      ]}
    />
  );
}
