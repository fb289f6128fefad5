import { LoadingPanel } from "@/components/ui/loading-panel";

export default function FleetLoading() {
  return <LoadingPanel label="Loading fleet…" />;
}
