import { LoadingPanel } from "@/components/ui/loading-panel";

export default function AlertsLoading() {
  return <LoadingPanel label="Loading alerts…" />;
}
