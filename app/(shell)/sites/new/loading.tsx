import { LoadingPanel } from "@/components/ui/loading-panel";

export default function NewSiteLoading() {
  return <LoadingPanel label="Loading form…" />;
}
