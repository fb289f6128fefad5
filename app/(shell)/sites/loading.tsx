import { LoadingPanel } from "@/components/ui/loading-panel";

export default function SitesLoading() {
  return <LoadingPanel label="Loading sites…" />;
}
