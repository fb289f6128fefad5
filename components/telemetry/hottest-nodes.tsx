"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { errorMessage, shouldRetry } from "@/lib/queries/api";
import {
  fetchHottest,
  formatTemperature,
  HOTTEST_DEFAULT_LIMIT,
  HOTTEST_POLL_MS,
  telemetryKeys,
} from "@/lib/queries/telemetry";

/** Top-N hottest nodes fleet-wide, for the control center. One query however large the fleet. */
export function HottestNodes({ limit = HOTTEST_DEFAULT_LIMIT }: { limit?: number }) {
  const uid = useId();
  const query = useQuery({
    queryKey: telemetryKeys.hottest(limit),
    queryFn: ({ signal }) => fetchHottest(limit, signal),
    refetchInterval: HOTTEST_POLL_MS,
    retry: shouldRetry,
  });
  const data = query.data;
  const unit = data?.preferredUnit ?? "C";
  return (
    <section aria-labelledby={`${uid}-title`} className="card">
      <h2 id={`${uid}-title`}>Hottest nodes</h2>
      {query.isError && !data ? (
        <Notice tone="danger" title="Could not load temperatures" role="alert">
          <p>{errorMessage(query.error)}</p>
        </Notice>
      ) : null}
      {query.isPending ? (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading temperatures…
        </div>
      ) : null}
      {data?.unavailable ? (
        <Notice tone="warn" title={`Telemetry unavailable (${data.unavailable.reason})`} role="status">
          <p>{data.unavailable.message}</p>
        </Notice>
      ) : null}
      {data && !data.unavailable && data.items.length === 0 ? (
        <p className="empty">No temperature readings in the last 15 minutes.</p>
      ) : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          {/* Four narrow columns: the card sits in the control center's side column (≥ 380 px). */}
          <table className="table--fit">
            <caption className="visually-hidden">
              The {data.items.length} hottest nodes by latest board temperature, hottest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Site</th>
                <th scope="col">Temperature</th>
                <th scope="col">Reading</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((n) => (
                <tr key={`${n.siteTag ?? n.site?.id ?? ""}/${n.cluster ?? ""}/${n.host}`}>
                  <th scope="row" className="mono">
                    {n.host}
                  </th>
                  <td>
                    {n.site ? (
                      <Link href={`/sites/${encodeURIComponent(n.site.slug)}`}>{n.site.name}</Link>
                    ) : (
                      <span className="muted" title="No registered site matches this tag">
                        {n.siteTag ?? "unknown"} (not registered)
                      </span>
                    )}
                  </td>
                  <td>
                    {n.isHot ? (
                      <Badge tone="warn" icon="▲">
                        {formatTemperature(n.tempC, unit)} hot
                      </Badge>
                    ) : (
                      formatTemperature(n.tempC, unit)
                    )}
                    <div className="muted small">
                      warning above {formatTemperature(n.thresholdCelsius, unit)} ({n.thresholdSource})
                    </div>
                  </td>
                  <td>
                    <RelativeTime iso={n.at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
