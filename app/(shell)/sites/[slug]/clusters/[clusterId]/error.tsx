"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function ClusterError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load this cluster" error={error} retry={retry} />;
}
