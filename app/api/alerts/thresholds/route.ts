import { z } from "zod";
import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { hasRole } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { getSite } from "@/lib/fleet/sites";
import { type ThresholdScope, thresholdClearSchema, thresholdSetSchema } from "@/lib/thresholds/schemas";
import { clearThreshold, fleetThresholds, setThreshold, siteThresholds } from "@/lib/thresholds/store";

const querySchema = z.object({ site: z.string().min(1).max(64).optional() });

/** Site, cluster and node levels are an operator's call; the fleet default and kind levels an admin's. */
function checkLevel(actor: Actor, scope: ThresholdScope): void {
  if ((scope.level === "fleet" || scope.level === "kind") && !hasRole(actor.role, "admin"))
    throw new AppError(
      "forbidden",
      `Setting the ${scope.level} level needs the admin role; you are ${actor.role}`,
    );
}

function target(scope: ThresholdScope): { type: string; id: string } {
  switch (scope.level) {
    case "fleet":
      return { type: "threshold", id: "fleet" };
    case "kind":
      return { type: "threshold", id: `kind:${scope.kind}` };
    case "site":
      return { type: "site", id: scope.siteId };
    case "cluster":
      return { type: "cluster", id: scope.clusterId };
    case "node":
      return { type: "cluster", id: scope.clusterId };
  }
}

/** ?site=<id or slug>: every level that applies to the site, with effective values and sources; else fleet and kinds. */
export const GET = handler({ access: "viewer", query: querySchema }, async ({ query }) => {
  if (query.site) {
    const site = await getSite(query.site);
    if (!site) throw new AppError("not_found", "Site not found");
    return siteThresholds(site.id);
  }
  return fleetThresholds();
});

export const PUT = handler({ access: "operator", body: thresholdSetSchema }, async ({ actor, body }) => {
  checkLevel(actor, body.scope);
  const stored = await setThreshold(
    body.scope,
    { warnCelsius: body.warnCelsius, criticalCelsius: body.criticalCelsius },
    actor.username,
  );
  await audit({
    actor,
    action: "threshold.set",
    target: target(body.scope),
    result: "ok",
    detail: { scope: body.scope, warnCelsius: body.warnCelsius, criticalCelsius: body.criticalCelsius },
  });
  return { threshold: stored };
});

/** Removes a level's own value; the scope inherits again. */
export const DELETE = handler({ access: "operator", body: thresholdClearSchema }, async ({ actor, body }) => {
  checkLevel(actor, body.scope);
  const removed = await clearThreshold(body.scope);
  await audit({
    actor,
    action: "threshold.clear",
    target: target(body.scope),
    result: "ok",
    detail: { scope: body.scope, removed },
  });
  return { removed };
});
