import type { Metadata } from "next";
import Link from "next/link";
import { SitesBrowser } from "@/components/sites/sites-browser";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/auth/roles";
import { SITE_KINDS, type SiteKind } from "@/lib/fleet/schemas";
import { listSites } from "@/lib/fleet/sites";
import { SITES_PAGE_SIZE } from "@/lib/queries/sites";
import { requireActor } from "../../_lib/auth";

export const metadata: Metadata = { title: "Sites" };

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

export default async function SitesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor("/sites");
  const sp = await searchParams;
  const q = one(sp.q).trim().slice(0, 100);
  const rawKind = one(sp.kind);
  const kind: SiteKind | "" = (SITE_KINDS as readonly string[]).includes(rawKind)
    ? (rawKind as SiteKind)
    : "";
  const firstPage = await listSites({ q: q || undefined, kind: kind || undefined, limit: SITES_PAGE_SIZE });
  return (
    <div className="page">
      <PageHeader
        title="Sites"
        description="Wind farms, stores, vehicles and factories, each with its clusters."
        actions={
          hasRole(actor.role, "admin") ? (
            <Link className="button button--primary" href="/sites/new">
              Add site
            </Link>
          ) : null
        }
      />
      <SitesBrowser initialFilters={{ q, kind }} initialPage={firstPage} />
    </div>
  );
}
