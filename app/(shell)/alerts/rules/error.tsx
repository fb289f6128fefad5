"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function AlertRulesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load the rules" error={error} retry={retry} />;
}
