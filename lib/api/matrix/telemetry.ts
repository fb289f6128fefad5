import type { telemetryRoutes } from "../routes/telemetry";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const telemetryProbes: Record<keyof typeof telemetryRoutes, Probe> = {
  "GET /api/data-sources": { allowed: 200 },
  "POST /api/data-sources": { body: {}, allowed: 422 },
  "GET /api/data-sources/{id}": { params: id, allowed: 404 },
  "PUT /api/data-sources/{id}": { params: id, body: {}, allowed: 422 },
  "DELETE /api/data-sources/{id}": { params: id, allowed: 404 },
  "POST /api/data-sources/{id}/test": { params: id, allowed: 404 },
  "POST /api/data-sources/test": { body: {}, allowed: 422 },
  "GET /api/telemetry/fleet/hottest": { allowed: 200 },
  "GET /api/telemetry/site/{id}": { params: id, allowed: 404 },
};
