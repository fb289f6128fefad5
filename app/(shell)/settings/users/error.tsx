"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function UsersError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load users" error={error} retry={retry} />;
}
