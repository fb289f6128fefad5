import type { embedRoutes } from "../routes/embed";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const embedProbes: Record<keyof typeof embedRoutes, Probe> = {
  "GET /api/embed-grants": { allowed: 200 },
  "POST /api/embed-grants": { body: {}, allowed: 422 },
  "GET /api/embed-grants/{id}": { params: id, allowed: 404 },
  "POST /api/embed-grants/{id}/revoke": { params: id, allowed: 404 },
  "POST /api/embed-grants/{id}/reissue": { params: id, allowed: 404 },
  "GET /api/embed-grants/{id}/events": { params: id, allowed: 404 },
  "GET /api/embed-grants/preview": { query: { kind: "temperature", site: MISSING }, allowed: 404 },
  // Token zone: every caller gets the same answer; a session or API token is no credential here.
  "GET /api/embed/{token}/data": { params: { token: "oel_missing.token.value" }, allowed: 401 },
};
