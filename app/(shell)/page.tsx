import type { Metadata } from "next";
import Link from "next/link";
import { ControlCenter } from "@/components/fleet/control-center";
import { FleetEmptyState } from "@/components/fleet/fleet-empty-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { fleetList, fleetListMap } from "@/lib/fleet/list";
import { CERT_WARN_DAYS } from "@/lib/health/model";
import {
  FLEET_HEALTH_POLL_MS,
  FLEET_MAP_FIRST_PAINT_MAX_SITES,
  FLEET_PAGE_SIZE,
  fleetFilterParams,
  parseFleetFilters,
} from "@/lib/queries/fleet-health";
import { requireActor } from "../_lib/auth";
import { fleetSummary } from "../_lib/fleet-summary";

export const metadata: Metadata = { title: "Fleet" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * First paint straight from the fleet roll-up (no API hop); the client
 * container then keeps it live. Filters come from the address.
 */
export default async function ControlCenterPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const filters = parseFleetFilters((k) => one(sp[k]));
  const search = fleetFilterParams(filters).toString();
  const actor = await requireActor(search ? `/?${search}` : "/");
  const isAdmin = hasRole(actor.role, "admin");
  const isOperator = hasRole(actor.role, "operator");
  const now = Date.now();
  // From the incremental fleet summary (indexed queries), not a roll-up of every site.
  const [page, summary] = await Promise.all([
    fleetList(
      {
        status: filters.status,
        kind: filters.kind || undefined,
        label: filters.label || undefined,
        q: filters.q || undefined,
        offset: 0,
        limit: FLEET_PAGE_SIZE,
      },
      now,
    ),
    fleetSummary(CERT_WARN_DAYS),
  ]);
  const map = summary.siteCount <= FLEET_MAP_FIRST_PAINT_MAX_SITES ? await fleetListMap(now) : null;
  const expiring = summary.expiringCertCount;
  return (
    <div className="page page--wide">
      <PageHeader
        title="Fleet"
        description={`Which sites need you now, and since when. ${summary.siteCount.toLocaleString("en-US")} sites, ${summary.clusterCount.toLocaleString("en-US")} clusters; refreshes every ${FLEET_HEALTH_POLL_MS / 1000} s.`}
        actions={
          isAdmin ? (
            <Link className="button button--primary" href="/sites/new">
              Add site
            </Link>
          ) : null
        }
      />
      {expiring > 0 ? (
        <Notice
          tone="warn"
          testId="cert-notice"
          title={`${expiring} cluster ${expiring === 1 ? "certificate expires" : "certificates expire"} within ${CERT_WARN_DAYS} days`}
        >
          <p>
            Copied k3s kubeconfigs stop working when their client certificate expires; the sites concerned are
            listed as degraded with the date. <Link href="/?q=certificate">Show them</Link>
          </p>
        </Notice>
      ) : null}
      {page.counts.total === 0 ? (
        <FleetEmptyState isAdmin={isAdmin} />
      ) : (
        <ControlCenter
          key={search}
          initialFilters={filters}
          initialPage={page}
          initialMap={map}
          isOperator={isOperator}
        />
      )}
    </div>
  );
}
