import { NotFoundPage } from "@/components/ui/not-found-page";

export default function RolloutNotFound() {
  return (
    <NotFoundPage title="No such rollout" backHref="/deployments" backLabel="All deployments">
      <p>This deployment has no rollout with this id.</p>
    </NotFoundPage>
  );
}
