import { LoadingPanel } from "@/components/ui/loading-panel";

export default function AuditLoading() {
  return <LoadingPanel label="Loading audit log…" />;
}
