import { LoadingPanel } from "@/components/ui/loading-panel";

export default function EmbedsLoading() {
  return <LoadingPanel label="Loading embeds…" />;
}
