import type { alertsRoutes } from "../routes/alerts";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const alertsProbes: Record<keyof typeof alertsRoutes, Probe> = {
  "GET /api/alerts": { allowed: 200 },
  "GET /api/alerts/counts": { allowed: 200 },
  "POST /api/alerts/{id}/ack": { params: id, body: {}, allowed: 404 },
  "GET /api/alerts/rules": { allowed: 200 },
  "POST /api/alerts/rules": { body: {}, allowed: 422 },
  "PUT /api/alerts/rules/{id}": { params: id, body: {}, allowed: 422 },
  "DELETE /api/alerts/rules/{id}": { params: id, allowed: 404 },
  "POST /api/alerts/rules/preview": { body: {}, allowed: 422 },
  "GET /api/alerts/silences": { allowed: 200 },
  "POST /api/alerts/silences": { body: {}, allowed: 422 },
  "DELETE /api/alerts/silences/{id}": { params: id, allowed: 404 },
  "GET /api/alerts/contact-points": { allowed: 200 },
  "POST /api/alerts/contact-points": { body: {}, allowed: 422 },
  "PUT /api/alerts/contact-points/{id}": { params: id, body: {}, allowed: 404 },
  "DELETE /api/alerts/contact-points/{id}": { params: id, allowed: 404 },
  "POST /api/alerts/contact-points/{id}/test": { params: id, allowed: 404 },
  "GET /api/alerts/contact-points/{id}/received": { params: id, allowed: 404 },
  "GET /api/alerts/deliveries": { allowed: 200 },
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
