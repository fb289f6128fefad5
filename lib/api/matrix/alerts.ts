import type { alertsRoutes } from "../routes/alerts";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const alertsProbes: Record<keyof typeof alertsRoutes, Probe> = {
  "GET /api/alerts/thresholds": { allowed: 200 },
  "PUT /api/alerts/thresholds": { body: {}, allowed: 422 },
  "DELETE /api/alerts/thresholds": { body: {}, allowed: 422 },
  "GET /api/maintenance": { allowed: 200 },
  "GET /api/sites/{id}/maintenance": { params: id, allowed: 404 },
  "POST /api/sites/{id}/maintenance": { params: id, body: {}, allowed: 422 },
  "DELETE /api/sites/{id}/maintenance/{maintenanceId}": {
    params: { id: MISSING, maintenanceId: MISSING },
    allowed: 404,
  },
};
