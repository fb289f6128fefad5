import { NotFoundPage } from "@/components/ui/not-found-page";

export default function ClusterNotFound() {
  return (
    <NotFoundPage title="No such cluster" backHref="/" backLabel="Fleet">
      <p>This site has no cluster with this address. It may have been removed or moved to another site.</p>
    </NotFoundPage>
  );
}
