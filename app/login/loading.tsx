import { LoadingPanel } from "@/components/ui/loading-panel";

export default function LoginLoading() {
  return <LoadingPanel label="Loading sign-in…" />;
}
