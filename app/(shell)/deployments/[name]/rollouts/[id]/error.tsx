"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function RolloutError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load this rollout" error={error} retry={retry} />;
}
