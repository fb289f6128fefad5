"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function EmbedsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load embeds" error={error} retry={retry} />;
}
