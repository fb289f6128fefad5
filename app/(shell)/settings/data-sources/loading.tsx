import { LoadingPanel } from "@/components/ui/loading-panel";

export default function DataSourcesLoading() {
  return <LoadingPanel label="Loading data sources…" />;
}
