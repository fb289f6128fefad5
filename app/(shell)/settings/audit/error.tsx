"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function AuditError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load the audit log" error={error} retry={retry} />;
}
