import type { systemRoutes } from "../routes/system";
import type { Probe } from "./probe";

export const systemProbes: Record<keyof typeof systemRoutes, Probe> = {
  "GET /api/healthz": { allowed: 200 },
  "GET /api/openapi.json": { allowed: 200 },
};
