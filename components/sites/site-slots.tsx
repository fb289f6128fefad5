"use client";

import { SiteAlertsPanel } from "@/components/alerts/site-alerts-panel";
import { SiteDeploymentsPanel } from "@/components/deploy/site-deployments-panel";
import { SiteRestartButton } from "@/components/deploy/site-restart-button";
import { ChartEmbedAction } from "@/components/embed/chart-embed-action";
import { SiteMaintenancePanel } from "@/components/maintenance/site-maintenance-panel";
import { SiteThresholdsPanel } from "@/components/thresholds/site-thresholds-panel";
import type { ChartSlotProps, SiteSlotProps } from "./slot-props";

// The site page's extension points. The page (components/sites/site-detail.tsx,
// owned by views) decides where each slot sits; the feature that fills a slot
// owns what is in it. To fill one, replace its `return null` with your own
// component from your own folder (e.g. `return <SiteAlertsPanel {...props} />;`)
// and leave the other slots alone. Slots render inside the page's client tree:
// fetch with react-query and your own key factory in lib/queries/. The props
// types live in slot-props.ts, so the components that fill a slot import them
// without importing the slots (no import circle).

export type { ChartSlotProps, SiteChartKind, SiteSlotProps } from "./slot-props";

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
