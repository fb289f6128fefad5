"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { serverNow, useNow } from "@/components/hooks/use-now";
import { ALERTS_POLL_MS, alertKeys, fetchSiteAlerts } from "@/lib/queries/alerts";
import { errorMessage } from "@/lib/queries/api";
import { AlertHistory } from "./alert-history";
import { AlertTable } from "./alert-table";

/** Container: the site's open alerts (muted and suppressed ones included, marked) and its recent history. */
export function SiteAlertsPanel({ slug }: { slug: string }) {
  const q = useQuery({
    queryKey: alertKeys.site(slug),
    queryFn: ({ signal }) => fetchSiteAlerts(slug, signal),
    refetchInterval: ALERTS_POLL_MS,
  });
  const now = useNow();
  const data = q.data;
  const clock = data ? serverNow(data.generatedAt, q.dataUpdatedAt, now) : (now ?? 0);
  return (
    <section className="card" aria-labelledby="site-alerts-title" data-testid="site-alerts">
      <h2 id="site-alerts-title">Alerts</h2>
      {!data ? (
        <p className="muted">{q.isError ? `Alerts unavailable: ${errorMessage(q.error)}` : "Loading…"}</p>
      ) : (
        <>
          {data.items.length === 0 ? (
            <p data-testid="site-alerts-none">Nothing firing or pending here.</p>
          ) : (
            <AlertTable alerts={data.items} now={clock} caption="This site's alerts" showSite={false} />
          )}
          {data.history.length > 0 ? (
            <details>
              <summary>Recent history</summary>
              <AlertHistory events={data.history} now={clock} />
            </details>
          ) : null}
          <p className="small">
            <Link href={`/alerts`}>All alerts</Link>
          </p>
        </>
      )}
    </section>
  );
}
