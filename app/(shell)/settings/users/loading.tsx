import { LoadingPanel } from "@/components/ui/loading-panel";

export default function UsersLoading() {
  return <LoadingPanel label="Loading users…" />;
}
