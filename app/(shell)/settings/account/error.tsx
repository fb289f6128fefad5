"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function AccountError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load your account" error={error} retry={retry} />;
}
