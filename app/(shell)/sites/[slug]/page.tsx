import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { SiteDetail } from "@/components/sites/site-detail";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/fleet/clusters";
import { siteDetail } from "@/lib/fleet/health";
import { getSite } from "@/lib/fleet/sites";
import {
  CHART_WIDTH_COOKIE,
  DEFAULT_CHART_WIDTH,
  firstChartParams,
  type PrefetchedChart,
  parseChartWidth,
} from "@/lib/queries/telemetry";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { relativeRange } from "@/lib/telemetry/ranges";
import type { SiteChartData } from "@/lib/telemetry/site-chart-types";
import { siteChart } from "@/lib/telemetry/site-charts";
import { requireActor } from "../../../_lib/auth";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: decodeURIComponent(slug) };
}

export default async function SitePage({ params, searchParams }: Props) {
  const { slug } = await params;
  const actor = await requireActor(`/sites/${slug}`);
  const sp = await searchParams;
  const range = relativeRange(sp.range) ?? "1h";
  // The first chart view starts now, beside the page's own reads, and streams with the page:
  // the browser does not wait for its scripts to ask. For the remembered plot width (same query
  // key as the browser's), on a first visit for the default one (the browser asks again only if
  // its plot is another width); never with an ?at= moment (that opens a custom range instead).
  const width = parseChartWidth((await cookies()).get(CHART_WIDTH_COOKIE)?.value) ?? DEFAULT_CHART_WIDTH;
  let firstChart: PrefetchedChart | null = null;
  if (sp.at === undefined) {
    const chartParams = firstChartParams(range, width);
    const data = siteChart(
      slug,
      { ...chartParams, hosts: undefined },
      { preferredUnit: preferredUnit(actor.userId) },
    )
      // The browser asks again by itself: a failure here is never the page's error.
      .then(
        (d) => d as SiteChartData,
        () => null,
      );
    firstChart = { params: chartParams, data };
  }
  const site = await getSite(slug);
  if (!site) notFound();
  // Both reads are independent: no waterfall on the server either.
  const [clusters, health] = await Promise.all([listClusters(site.id), siteDetail(site.id)]);
  return (
    <SiteDetail
      slug={site.slug}
      initial={{ site, clusters }}
      initialHealth={health}
      initialRange={range}
      firstChart={firstChart}
      isAdmin={hasRole(actor.role, "admin")}
      isOperator={hasRole(actor.role, "operator")}
    />
  );
}
