"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function FleetError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load the fleet" error={error} retry={retry} />;
}
