import type { Metadata } from "next";
import Link from "next/link";
import { AlertsView } from "@/components/alerts/alerts-view";
import { PageHeader } from "@/components/ui/page-header";
import { alertListQuerySchema, listAlerts } from "@/lib/alerts/alerts-store";
import { hasRole } from "@/lib/auth/roles";
import { alertFilterParams, parseAlertFilters } from "@/lib/queries/alerts";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Alerts" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** First paint from the store (no API hop); the client container keeps it live. Filters live in the address. */
export default async function AlertsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const filters = parseAlertFilters((k) => one(sp[k]));
  const search = alertFilterParams(filters).toString();
  const actor = await requireActor(search ? `/alerts?${search}` : "/alerts");
  const parsed = alertListQuerySchema.safeParse(
    Object.fromEntries(alertFilterParams({ ...filters, site: "" })),
  );
  const initial = await listAlerts(parsed.success ? parsed.data : { state: [], historyLimit: 50 });
  return (
    <div className="page page--wide">
      <PageHeader
        title="Alerts"
        description="Firing and pending first, with each value against its effective threshold; then what is muted or suppressed, and what happened lately."
        actions={
          <>
            <Link className="button" href="/alerts/rules">
              Rules
            </Link>
            {hasRole(actor.role, "admin") ? (
              <Link className="button" href="/alerts/contact-points">
                Contact points
              </Link>
            ) : null}
          </>
        }
      />
      <AlertsView initialFilters={filters} initial={initial} isOperator={hasRole(actor.role, "operator")} />
    </div>
  );
}
