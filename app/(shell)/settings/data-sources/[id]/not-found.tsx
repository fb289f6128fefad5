import { NotFoundPage } from "@/components/ui/not-found-page";

export default function DataSourceNotFound() {
  return (
    <NotFoundPage title="No such data source" backHref="/settings/data-sources" backLabel="All data sources">
      <p>It may have been deleted.</p>
    </NotFoundPage>
  );
}
