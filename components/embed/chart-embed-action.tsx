"use client";

import { useQuery } from "@tanstack/react-query";
import type { ChartSlotProps } from "@/components/sites/slot-props";
import { hasRole } from "@/lib/auth/roles";
import { EMBED_RANGES, type EmbedRange } from "@/lib/embed/model";
import { fetchMe, sessionKeys } from "@/lib/queries/session";
import { EmbedButton } from "./embed-button";

/** Who is signed in changes only by signing out: ask once per page. */
const ME_STALE_MS = 5 * 60_000;

/** Operators and admins may create embed grants (the API refuses everyone else anyway). */
export function useCanEmbed(): boolean {
  const me = useQuery({
    queryKey: sessionKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: ME_STALE_MS,
  });
  return me.data ? hasRole(me.data.user.role, "operator") : false;
}

/** The "Embed" button in a site chart's header (views' ChartActionsSlot): embeds exactly that view. */
export function ChartEmbedAction({ site, chart, range, field }: ChartSlotProps) {
  const canEmbed = useCanEmbed();
  if (!canEmbed || chart === "health-grid") return null;
  const embedRange = (EMBED_RANGES as readonly string[]).includes(range) ? (range as EmbedRange) : undefined;
  return (
    <EmbedButton
      target={{
        kind: chart,
        site,
        ...(chart === "turbine" && field ? { metric: field, metricLabel: field } : {}),
        ...(embedRange ? { range: embedRange } : {}),
      }}
    />
  );
}
