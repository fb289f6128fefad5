"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function DeploymentError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load this deployment" error={error} retry={retry} />;
}
