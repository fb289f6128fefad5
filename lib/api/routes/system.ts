import { route } from "../spec";

export const systemRoutes = {
  "GET /api/healthz": route({
    access: "public",
    summary: "Liveness: the server answers and its database too",
  }),
  "GET /api/openapi.json": route({ access: "viewer", summary: "This API as an OpenAPI 3.1 document" }),
};
