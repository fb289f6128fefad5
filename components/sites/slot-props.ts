import type { TelemetryRange } from "@/lib/telemetry/ranges";

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
