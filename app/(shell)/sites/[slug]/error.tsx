"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function SiteError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load this site" error={error} retry={retry} />;
}
