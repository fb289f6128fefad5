import { LoadingPanel } from "@/components/ui/loading-panel";

export default function TokensLoading() {
  return <LoadingPanel label="Loading API tokens…" />;
}
