import { LoadingPanel } from "@/components/ui/loading-panel";

export default function DeploymentsLoading() {
  return <LoadingPanel label="Loading deployments…" />;
}
