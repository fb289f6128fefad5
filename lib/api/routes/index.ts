import "server-only";
// The route table: every route of app/api/, one entry per method and path.
// Adding a route: put its entry in your area's file (or a new file listed here),
// then `export const GET = handler("GET /api/…", …)` in its route.ts, and its
// expected statuses in lib/api/route-matrix.test.ts. See docs in lib/api/README.md.
import type { AnyRouteSpec, RouteKeyPattern } from "../spec";
import { adminRoutes } from "./admin";
import { alertsRoutes } from "./alerts";
import { authRoutes } from "./auth";
import { deployRoutes } from "./deploy";
import { embedRoutes } from "./embed";
import { fleetRoutes } from "./fleet";
import { systemRoutes } from "./system";
import { telemetryRoutes } from "./telemetry";

export const ROUTES = {
  ...authRoutes,
  ...fleetRoutes,
  ...telemetryRoutes,
  ...alertsRoutes,
  ...adminRoutes,
  ...deployRoutes,
  ...systemRoutes,
  ...embedRoutes,
} satisfies Record<RouteKeyPattern, AnyRouteSpec>;

export type RouteKey = keyof typeof ROUTES;
