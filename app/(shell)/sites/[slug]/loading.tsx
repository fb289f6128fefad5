import { LoadingPanel } from "@/components/ui/loading-panel";

export default function SiteLoading() {
  return <LoadingPanel label="Loading site…" />;
}
