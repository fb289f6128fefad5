import type { deployRoutes } from "../routes/deploy";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const deployProbes: Record<keyof typeof deployRoutes, Probe> = {
  "GET /api/deployments": { allowed: 200 },
  "POST /api/deployments": { body: {}, allowed: 422 },
  "POST /api/deployments/validate": {
    body: { manifest: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n" },
    allowed: 200,
  },
  "POST /api/deployments/targets": { body: { targets: { sites: [MISSING] } }, allowed: 200 },
  "POST /api/deployments/fleet-selection": { body: { fleet: "kind=store", except: [] }, allowed: 200 },
  "GET /api/deployments/{id}": { params: id, allowed: 404 },
  "POST /api/deployments/{id}/revisions": { params: id, body: {}, allowed: 422 },
  "GET /api/deployments/{id}/revisions/{number}": { params: { id: MISSING, number: "1" }, allowed: 404 },
  "GET /api/deployments/{id}/compare": { params: id, query: { from: "1", to: "2" }, allowed: 404 },
  "POST /api/deployments/{id}/previews": { params: id, body: {}, allowed: 422 },
  "POST /api/deployments/{id}/rollouts": { params: id, body: {}, allowed: 422 },
  "GET /api/previews/{id}": { params: id, allowed: 404 },
  "GET /api/previews/{id}/targets": { params: id, allowed: 404 },
  "GET /api/rollouts/{id}": { params: id, allowed: 404 },
  "GET /api/rollouts/{id}/targets": { params: id, allowed: 404 },
  "POST /api/rollouts/{id}/pause": { params: id, allowed: 404 },
  "POST /api/rollouts/{id}/resume": { params: id, body: {}, allowed: 404 },
  "POST /api/rollouts/{id}/abort": { params: id, allowed: 404 },
  "POST /api/rollouts/{id}/rollback": { params: id, body: {}, allowed: 404 },
  "POST /api/restarts": { body: {}, allowed: 422 },
  "GET /api/sites/{id}/deployments": { params: id, allowed: 404 },
};
