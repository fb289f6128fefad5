import { NotFoundPage } from "@/components/ui/not-found-page";

export default function DeploymentNotFound() {
  return (
    <NotFoundPage title="No such deployment" backHref="/deployments" backLabel="All deployments">
      <p>No deployment has this name. It may have been mistyped.</p>
    </NotFoundPage>
  );
}
