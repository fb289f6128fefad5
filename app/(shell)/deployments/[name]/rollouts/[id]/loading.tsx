import { LoadingPanel } from "@/components/ui/loading-panel";

export default function RolloutLoading() {
  return <LoadingPanel label="Loading the rollout…" />;
}
