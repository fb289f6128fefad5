"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function DeploymentsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load deployments" error={error} retry={retry} />;
}
