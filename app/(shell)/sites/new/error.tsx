"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function NewSiteError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not open the site form" error={error} retry={retry} />;
}
