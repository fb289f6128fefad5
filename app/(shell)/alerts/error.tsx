"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function AlertsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load alerts" error={error} retry={retry} />;
}
