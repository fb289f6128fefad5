"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useOnScreen } from "@/components/hooks/use-on-screen";
import { shouldRetry } from "@/lib/queries/api";
import {
  fetchSiteChart,
  type SiteChartData,
  type SiteChartParams,
  telemetryKeys,
  telemetryPollMs,
} from "@/lib/queries/telemetry";

/**
 * One chart view of a site, fetched when its panel comes on screen (at once
 * when `isEager`: the first panel of the page) and polled only while visible.
 */
export function useSiteChart<T extends SiteChartData>(
  site: string,
  params: SiteChartParams,
  options: { isEager?: boolean } = {},
) {
  const [ref, screen] = useOnScreen<HTMLDivElement>();
  const query = useQuery({
    queryKey: telemetryKeys.siteChart(site, params),
    queryFn: ({ signal }) => fetchSiteChart<T>(site, params, signal),
    // width 0: the panel is not measured yet (see SiteTelemetry's useWidth).
    enabled: params.width > 0 && (Boolean(options.isEager) || screen.wasSeen),
    refetchInterval:
      screen.isVisible || (options.isEager && !screen.wasSeen) ? telemetryPollMs(params.range) : false,
    placeholderData: keepPreviousData,
    retry: shouldRetry,
  });
  // Polling stops while the panel is off screen (e.g. pushed down by panels above it): when it is
  // back, an answer older than one poll is refreshed at once, not a poll later.
  const pollMs = telemetryPollMs(params.range);
  const { dataUpdatedAt, refetch } = query;
  useEffect(() => {
    if (screen.isVisible && pollMs && dataUpdatedAt > 0 && Date.now() - dataUpdatedAt > pollMs)
      void refetch();
  }, [screen.isVisible, pollMs, dataUpdatedAt, refetch]);
  return { ref, query };
}
