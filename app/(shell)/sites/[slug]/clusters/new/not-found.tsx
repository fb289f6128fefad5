import { NotFoundPage } from "@/components/ui/not-found-page";

export default function SiteNotFound() {
  return (
    <NotFoundPage title="No such site" backHref="/sites" backLabel="All sites">
      <p>No site has this address. It may have been renamed or deleted.</p>
    </NotFoundPage>
  );
}
