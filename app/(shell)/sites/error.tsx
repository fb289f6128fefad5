"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function SitesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load sites" error={error} retry={retry} />;
}
