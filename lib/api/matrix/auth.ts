import type { authRoutes } from "../routes/auth";
import type { Probe } from "./probe";

export const authProbes: Record<keyof typeof authRoutes, Probe> = {
  "POST /api/auth/login": { body: {}, allowed: 422 },
  "POST /api/auth/logout": { allowed: 200 },
  "POST /api/auth/password": { body: {}, allowed: 422 },
  "GET /api/auth/me": { allowed: 200 },
};
