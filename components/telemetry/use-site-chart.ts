"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef } from "react";
import { useOnScreen } from "@/components/hooks/use-on-screen";
import { shouldRetry } from "@/lib/queries/api";
import {
  fetchSiteChart,
  type PrefetchedChart,
  type SiteChartData,
  type SiteChartParams,
  telemetryKeys,
  telemetryPollMs,
} from "@/lib/queries/telemetry";

/**
 * What the panels of one site page share about its first (eager) chart: the view the server
 * started with the page, and whether that chart has its answer yet. The other panels wait for it,
 * so their requests do not compete with the one the page is waiting for.
 */
export interface FirstChart {
  prefetched: PrefetchedChart | null;
  isSettled: boolean;
  settle: () => void;
}

/** Outside a site page's telemetry: nothing prefetched, nothing to wait for. */
export const FirstChartContext = createContext<FirstChart>({
  prefetched: null,
  isSettled: true,
  settle: () => {},
});

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
  const first = useContext(FirstChartContext);
  const isEager = Boolean(options.isEager);
  const queryKey = telemetryKeys.siteChart(site, params);
  // The server's answer is used once, for its own key; every later fetch (polls, another range) asks the API.
  const prefetched = useRef(isEager ? first.prefetched : null);
  const query = useQuery({
    queryKey,
    queryFn: async ({ signal }) => {
      const p = prefetched.current;
      prefetched.current = null;
      if (p && sameKey(telemetryKeys.siteChart(site, p.params), queryKey)) {
        const data = await p.data;
        if (data) return data as T;
      }
      return fetchSiteChart<T>(site, params, signal);
    },
    // width 0: the panel is not measured yet (see SiteTelemetry's useWidth).
    enabled: params.width > 0 && (isEager || (first.isSettled && screen.wasSeen)),
    refetchInterval: screen.isVisible || (isEager && !screen.wasSeen) ? telemetryPollMs(params.range) : false,
    placeholderData: keepPreviousData,
    retry: shouldRetry,
  });
  const { settle } = first;
  const isDone = query.data !== undefined || query.isError;
  useEffect(() => {
    if (isEager && isDone) settle();
  }, [isEager, isDone, settle]);
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

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
