import { z } from "zod";
import { maintenanceInputSchema, maintenanceParams } from "@/lib/maintenance/schemas";
import { thresholdClearSchema, thresholdSetSchema } from "@/lib/thresholds/schemas";
import { idParams } from "../params";
import { route } from "../spec";

// Alerts (issue 9): the threshold chain, site maintenance, rules, alerts,
// silences, contact points and deliveries.

export const alertsRoutes = {
  "GET /api/alerts/thresholds": route({
    access: "viewer",
    summary:
      "Temperature thresholds: ?site=<id or slug> gives every level that applies to the site with effective values and sources; else the fleet default and kind levels",
    query: z.object({ site: z.string().min(1).max(64).optional() }),
  }),
  "PUT /api/alerts/thresholds": route({
    access: "operator",
    summary: "Set one level of the threshold chain (fleet and kind levels need the admin role)",
    body: thresholdSetSchema,
    audit: { action: "threshold.set", target: "threshold" },
  }),
  "DELETE /api/alerts/thresholds": route({
    access: "operator",
    summary: "Remove one level's own value; the scope inherits again",
    body: thresholdClearSchema,
    audit: { action: "threshold.clear", target: "threshold" },
  }),
  "GET /api/maintenance": route({
    access: "viewer",
    summary: "Sites in maintenance right now, soonest end first",
  }),
  "GET /api/sites/{id}/maintenance": route({
    access: "viewer",
    summary: "A site's maintenance: active, planned and recent windows",
    params: idParams,
  }),
  "POST /api/sites/{id}/maintenance": route({
    access: "operator",
    summary: "Start (or plan) maintenance: alerts stay visible and notify nobody, deployments hold the site",
    params: idParams,
    body: maintenanceInputSchema,
    audit: { action: "site.maintenance.start", target: "site" },
  }),
  "DELETE /api/sites/{id}/maintenance/{maintenanceId}": route({
    access: "operator",
    summary: "End an active maintenance window now, or cancel a planned one",
    params: maintenanceParams,
    audit: { action: "site.maintenance.end", target: "site" },
  }),
};
