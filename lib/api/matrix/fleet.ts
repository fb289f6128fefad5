import type { fleetRoutes } from "../routes/fleet";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const fleetProbes: Record<keyof typeof fleetRoutes, Probe> = {
  "GET /api/sites": { allowed: 200 },
  "POST /api/sites": { body: {}, allowed: 422 },
  "GET /api/sites/{id}": { params: id, allowed: 404 },
  "PUT /api/sites/{id}": { params: id, body: {}, allowed: 422 },
  "DELETE /api/sites/{id}": { params: id, allowed: 404 },
  "GET /api/sites/{id}/health": { params: id, allowed: 404 },
  "GET /api/clusters": { allowed: 200 },
  "POST /api/clusters": { body: {}, allowed: 422 },
  "GET /api/clusters/{id}": { params: id, allowed: 404 },
  "DELETE /api/clusters/{id}": { params: id, allowed: 404 },
  "POST /api/clusters/{id}/test": { params: id, allowed: 404 },
  "POST /api/clusters/test": { body: {}, allowed: 422 },
  "POST /api/clusters/import": { body: {}, allowed: 422 },
  "GET /api/fleet/health": { allowed: 200 },
  "GET /api/fleet/map": { allowed: 200 },
  "GET /api/fleet/grid": { query: { kind: "wind-farm" }, allowed: 200 },
};
