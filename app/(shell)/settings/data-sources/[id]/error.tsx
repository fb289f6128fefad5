"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function DataSourcesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load data sources" error={error} retry={retry} />;
}
