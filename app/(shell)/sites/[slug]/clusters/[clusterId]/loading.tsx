import { LoadingPanel } from "@/components/ui/loading-panel";

export default function ClusterLoading() {
  return <LoadingPanel label="Loading cluster…" />;
}
