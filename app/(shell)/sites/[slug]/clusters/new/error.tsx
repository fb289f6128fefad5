"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function RegisterClusterError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not open cluster registration" error={error} retry={retry} />;
}
