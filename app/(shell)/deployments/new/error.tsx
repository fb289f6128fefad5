"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function NewDeploymentError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not open the form" error={error} retry={retry} />;
}
