import { LoadingPanel } from "@/components/ui/loading-panel";

export default function SettingsLoading() {
  return <LoadingPanel label="Loading settings…" />;
}
