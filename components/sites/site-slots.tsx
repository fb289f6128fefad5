"use client";

import { SiteAlertsPanel } from "@/components/alerts/site-alerts-panel";
import { SiteDeploymentsPanel } from "@/components/deploy/site-deployments-panel";
import { SiteRestartButton } from "@/components/deploy/site-restart-button";
import { ChartEmbedAction } from "@/components/embed/chart-embed-action";
import { SiteMaintenancePanel } from "@/components/maintenance/site-maintenance-panel";
import { SiteThresholdsPanel } from "@/components/thresholds/site-thresholds-panel";
import type { TelemetryRange } from "@/lib/telemetry/ranges";

// The site page's extension points. The page (components/sites/site-detail.tsx,
// owned by views) decides where each slot sits; the feature that fills a slot
// owns what is in it. To fill one, replace its `return null` with your own
// component from your own folder (e.g. `return <SiteAlertsPanel {...props} />;`)
// and leave the other slots alone. Slots render inside the page's client tree:
// fetch with react-query and your own key factory in lib/queries/.

/** What every site-level slot is given. Roles are what the server said this viewer has. */
export interface SiteSlotProps {
  site: { id: string; slug: string; name: string; kind: string };
  isOperator: boolean;
  isAdmin: boolean;
}

/** Which view of the page a chart slot belongs to ("site-status": the health summary card). */
export type SiteChartKind = "temperature" | "connectivity" | "turbine" | "health-grid" | "site-status";

/** What a chart's action slot is given: enough to describe (and embed) exactly that view. */
export interface ChartSlotProps {
  site: { id: string; slug: string; name: string };
  chart: SiteChartKind;
  /** operators and admins may act (e.g. create an embed); viewers see no button */
  isOperator: boolean;
  range: TelemetryRange;
  /** custom range bounds (epoch ms) when range is "custom" */
  from?: number;
  to?: number;
  /** the turbine metric shown, for chart "turbine" */
  field?: string;
}

/** Page header, beside "Edit site" — deploy: "Restart workloads on this site"; alerts: maintenance switch. */
export function SiteHeaderActionsSlot(props: SiteSlotProps) {
  return <SiteRestartButton {...props} />;
}

/** Right under the health summary — alerts: active alerts of this site, maintenance banner. */
export function SiteAlertsSlot(props: SiteSlotProps) {
  return (
    <>
      <SiteMaintenancePanel slug={props.site.slug} canEdit={props.isOperator} />
      <SiteAlertsPanel slug={props.site.slug} />
    </>
  );
}

/** After the telemetry charts — alerts: effective thresholds with their source, per-node overrides. */
export function SiteThresholdsSlot(props: SiteSlotProps) {
  return <SiteThresholdsPanel slug={props.site.slug} canEdit={props.isOperator} />;
}

/** Before the registered clusters — deploy: what is deployed here. */
export function SiteDeploymentsSlot(props: SiteSlotProps) {
  return <SiteDeploymentsPanel {...props} />;
}

/** In the header of every chart and card of the site page (and the health summary) — embed: the "Embed" button. */
export function ChartActionsSlot(props: ChartSlotProps) {
  return <ChartEmbedAction {...props} />;
}
