import { NotFoundPage } from "@/components/ui/not-found-page";

export default function RootNotFound() {
  return (
    <NotFoundPage title="Page not found" backHref="/" backLabel="Go to Fleet">
      <p>There is no page at this address.</p>
    </NotFoundPage>
  );
}
