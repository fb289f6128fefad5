import { LoadingPanel } from "@/components/ui/loading-panel";

export default function NewDeploymentLoading() {
  return <LoadingPanel label="Loading…" />;
}
