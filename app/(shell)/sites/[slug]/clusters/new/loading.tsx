import { LoadingPanel } from "@/components/ui/loading-panel";

export default function RegisterClusterLoading() {
  return <LoadingPanel label="Loading…" />;
}
