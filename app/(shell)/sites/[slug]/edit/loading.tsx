import { LoadingPanel } from "@/components/ui/loading-panel";

export default function EditSiteLoading() {
  return <LoadingPanel label="Loading site…" />;
}
