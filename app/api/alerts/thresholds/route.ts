import { handler } from "@/lib/api/handler";
import { hasRole } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getSite } from "@/lib/fleet/sites";
import type { ThresholdScope } from "@/lib/thresholds/schemas";
import { clearThreshold, fleetThresholds, setThreshold, siteThresholds } from "@/lib/thresholds/store";

/** Site, cluster and node levels are an operator's call; the fleet default and kind levels an admin's. */
function checkLevel(actor: Actor, scope: ThresholdScope): void {
  if ((scope.level === "fleet" || scope.level === "kind") && !hasRole(actor.role, "admin"))
    throw new AppError(
      "forbidden",
      `Setting the ${scope.level} level needs the admin role; you are ${actor.role}`,
    );
}

/** The audit target: the thing whose level changed. */
function targetId(scope: ThresholdScope): string {
  switch (scope.level) {
    case "fleet":
      return "fleet";
    case "kind":
      return `kind:${scope.kind}`;
    case "site":
      return `site:${scope.siteId}`;
    case "cluster":
      return `cluster:${scope.clusterId}`;
    case "node":
      return `node:${scope.clusterId}/${scope.node}`;
  }
}

export const GET = handler("GET /api/alerts/thresholds", async ({ query }) => {
  if (query.site) {
    const site = await getSite(query.site);
    if (!site) throw new AppError("not_found", "Site not found");
    return siteThresholds(site.id);
  }
  return fleetThresholds();
});

export const PUT = handler("PUT /api/alerts/thresholds", async ({ actor, body, audit }) => {
  audit.target(targetId(body.scope));
  audit.detail({ scope: body.scope, warnCelsius: body.warnCelsius, criticalCelsius: body.criticalCelsius });
  checkLevel(actor, body.scope);
  const stored = await setThreshold(
    body.scope,
    { warnCelsius: body.warnCelsius, criticalCelsius: body.criticalCelsius },
    actor.username,
  );
  return { threshold: stored };
});

export const DELETE = handler("DELETE /api/alerts/thresholds", async ({ actor, body, audit }) => {
  audit.target(targetId(body.scope));
  audit.detail({ scope: body.scope });
  checkLevel(actor, body.scope);
  return { removed: await clearThreshold(body.scope) };
});
