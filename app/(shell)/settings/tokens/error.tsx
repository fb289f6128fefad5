"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function TokensError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load API tokens" error={error} retry={retry} />;
}
