"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function SettingsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load settings" error={error} retry={retry} />;
}
