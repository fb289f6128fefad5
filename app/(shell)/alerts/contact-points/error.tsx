"use client";

import { SegmentError } from "@/components/ui/segment-error";

export default function ContactPointsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <SegmentError title="Could not load the contact points" error={error} retry={retry} />;
}
