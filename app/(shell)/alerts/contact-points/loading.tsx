import { LoadingPanel } from "@/components/ui/loading-panel";

export default function ContactPointsLoading() {
  return <LoadingPanel label="Loading contact points…" />;
}
