import { z } from "zod";
import { alertListQuerySchema } from "@/lib/alerts/alerts-store";
import { contactPointInputSchema, contactPointUpdateSchema } from "@/lib/alerts/contact-point-schemas";
import { deliveryListQuerySchema } from "@/lib/alerts/deliveries-store";
import { ruleInputSchema } from "@/lib/alerts/rules";
import { silenceInputSchema } from "@/lib/alerts/silences";
import { maintenanceInputSchema, maintenanceParams } from "@/lib/maintenance/schemas";
import { thresholdClearSchema, thresholdSetSchema } from "@/lib/thresholds/schemas";
import { idParams } from "../params";
import { route } from "../spec";

// Alerts (issue 9): the threshold chain, site maintenance, rules, alerts,
// silences, contact points and deliveries.

export const alertsRoutes = {
  "GET /api/alerts": route({
    access: "viewer",
    summary: "Open alerts (firing and pending first, then muted and suppressed), counts, and recent history",
    query: alertListQuerySchema,
  }),
  "GET /api/alerts/counts": route({
    access: "viewer",
    summary:
      "How many alerts are firing (and critical), pending, muted and suppressed: the fleet page's numbers",
  }),
  "POST /api/alerts/{id}/ack": route({
    access: "operator",
    summary: "Acknowledge a firing alert (records who and when)",
    params: idParams,
    body: z.object({ comment: z.string().trim().max(500, "at most 500 characters").optional() }),
    audit: { action: "alert.acknowledge", target: "alert" },
  }),
  "GET /api/alerts/rules": route({ access: "viewer", summary: "Alert rules" }),
  "POST /api/alerts/rules": route({
    access: "admin",
    summary: "Create an alert rule",
    body: ruleInputSchema,
    audit: { action: "alert-rule.create", target: "alert-rule" },
  }),
  "PUT /api/alerts/rules/{id}": route({
    access: "admin",
    summary: "Replace an alert rule's settings",
    params: idParams,
    body: ruleInputSchema,
    audit: { action: "alert-rule.update", target: "alert-rule" },
  }),
  "DELETE /api/alerts/rules/{id}": route({
    access: "admin",
    summary: "Delete an alert rule and its alerts",
    params: idParams,
    audit: { action: "alert-rule.delete", target: "alert-rule" },
  }),
  "POST /api/alerts/rules/preview": route({
    access: "operator",
    summary:
      "Replay the last 24 h of real data through a rule: how often it would have fired, with and without hysteresis",
    body: ruleInputSchema,
  }),
  "GET /api/alerts/silences": route({
    access: "viewer",
    summary: "Active, planned and recently expired silences",
  }),
  "POST /api/alerts/silences": route({
    access: "operator",
    summary: "Silence matching alerts' notifications until a time (they stay visible)",
    body: silenceInputSchema,
    audit: { action: "alert-silence.create", target: "alert-silence" },
  }),
  "DELETE /api/alerts/silences/{id}": route({
    access: "operator",
    summary: "Expire a silence now",
    params: idParams,
    audit: { action: "alert-silence.expire", target: "alert-silence" },
  }),
  "GET /api/alerts/contact-points": route({ access: "admin", summary: "Contact points (webhook, Slack)" }),
  "POST /api/alerts/contact-points": route({
    access: "admin",
    summary: "Add a contact point; answers its signing secret once",
    body: contactPointInputSchema,
    audit: { action: "contact-point.create", target: "contact-point" },
  }),
  "PUT /api/alerts/contact-points/{id}": route({
    access: "admin",
    summary: "Change a contact point (rotateSecret: a new signing secret, answered once)",
    params: idParams,
    body: contactPointUpdateSchema,
    audit: { action: "contact-point.update", target: "contact-point" },
  }),
  "DELETE /api/alerts/contact-points/{id}": route({
    access: "admin",
    summary: "Remove a contact point and its delivery log",
    params: idParams,
    audit: { action: "contact-point.delete", target: "contact-point" },
  }),
  "POST /api/alerts/contact-points/{id}/test": route({
    access: "admin",
    summary: "Send a signed test notification now; answers the attempt (status code, latency)",
    params: idParams,
    audit: { action: "contact-point.test", target: "contact-point" },
  }),
  "GET /api/alerts/contact-points/{id}/received": route({
    access: "admin",
    summary: "Messages the demo's local webhook sink received (demo sink contact points only)",
    params: idParams,
  }),
  "GET /api/alerts/deliveries": route({
    access: "admin",
    summary: "The delivery log: every notification with each attempt's status code and latency",
    query: deliveryListQuerySchema,
  }),
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
