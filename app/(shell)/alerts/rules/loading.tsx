import { LoadingPanel } from "@/components/ui/loading-panel";

export default function AlertRulesLoading() {
  return <LoadingPanel label="Loading rules…" />;
}
