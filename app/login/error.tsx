"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function LoginError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Sign-in is unavailable" error={error} retry={retry} />;
}
