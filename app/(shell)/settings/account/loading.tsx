import { LoadingPanel } from "@/components/ui/loading-panel";

export default function AccountLoading() {
  return <LoadingPanel label="Loading your account…" />;
}
