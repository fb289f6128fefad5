import { LoadingPanel } from "@/components/ui/loading-panel";

export default function DeploymentLoading() {
  return <LoadingPanel label="Loading the deployment…" />;
}
