import type { adminRoutes } from "../routes/admin";
import { MISSING, type Probe } from "./probe";

const id = { id: MISSING };

export const adminProbes: Record<keyof typeof adminRoutes, Probe> = {
  "GET /api/users": { allowed: 200 },
  "POST /api/users": { body: {}, allowed: 422 },
  "PATCH /api/users/{id}": { params: id, body: {}, allowed: 422 },
  "DELETE /api/users/{id}": { params: id, allowed: 404 },
  "GET /api/tokens": { allowed: 200 },
  "POST /api/tokens": { body: {}, allowed: 422 },
  "DELETE /api/tokens/{id}": { params: id, allowed: 404 },
  "GET /api/audit": { allowed: 200 },
};
