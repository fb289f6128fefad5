import type { Metadata } from "next";
import Link from "next/link";
import { FleetEmptyState } from "@/components/fleet/fleet-empty-state";
import { FleetStats } from "@/components/fleet/fleet-stats";
import { SiteTable } from "@/components/sites/site-table";
import { CERT_WARNING_DAYS } from "@/components/ui/cert-expiry";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { listSites } from "@/lib/fleet/sites";
import { requireActor } from "../_lib/auth";
import { fleetSummary } from "../_lib/fleet-summary";

export const metadata: Metadata = { title: "Fleet" };

const FLEET_FIRST_PAGE = 25;

export default async function FleetPage() {
  const actor = await requireActor("/");
  const isAdmin = hasRole(actor.role, "admin");
  const [summary, firstPage] = await Promise.all([
    fleetSummary(CERT_WARNING_DAYS),
    listSites({ limit: FLEET_FIRST_PAGE }),
  ]);
  return (
    <div className="page">
      <PageHeader
        title="Fleet"
        description="Every site and cluster Outpost knows about. Live health per site arrives with the health view."
        actions={
          isAdmin ? (
            <Link className="button button--primary" href="/sites/new">
              Add site
            </Link>
          ) : null
        }
      />
      <FleetStats
        siteCount={summary.siteCount}
        clusterCount={summary.clusterCount}
        sitesByKind={summary.sitesByKind}
      />
      {summary.expiringCertCount > 0 ? (
        <Notice
          tone="warn"
          title={`${summary.expiringCertCount} cluster ${summary.expiringCertCount === 1 ? "certificate expires" : "certificates expire"} within ${CERT_WARNING_DAYS} days`}
        >
          <p>
            Copied k3s kubeconfigs stop working when their client certificate expires. Open the site pages to
            see which clusters need a fresh kubeconfig.
          </p>
        </Notice>
      ) : null}
      {summary.siteCount === 0 ? (
        <FleetEmptyState isAdmin={isAdmin} />
      ) : (
        <section aria-labelledby="fleet-sites" className="stack">
          <h2 id="fleet-sites">Sites</h2>
          <SiteTable
            sites={firstPage.items}
            caption={
              firstPage.total > firstPage.items.length
                ? `First ${firstPage.items.length} of ${firstPage.total} sites, by name`
                : `${firstPage.total} sites, by name`
            }
          />
          {firstPage.total > firstPage.items.length ? (
            <p>
              <Link href="/sites">Search and browse all {firstPage.total} sites →</Link>
            </p>
          ) : null}
        </section>
      )}
    </div>
  );
}
