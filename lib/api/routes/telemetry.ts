import {
  dataSourceInputSchema,
  dataSourceTestSchema,
  hottestQuerySchema,
  siteTelemetryQuerySchema,
} from "@/lib/telemetry/schemas";
import { idParams } from "../params";
import { route } from "../spec";

export const telemetryRoutes = {
  "GET /api/data-sources": route({
    access: "admin",
    summary: "InfluxDB data sources (secrets never included)",
  }),
  "POST /api/data-sources": route({
    access: "admin",
    summary: "Add an InfluxDB data source",
    body: dataSourceInputSchema,
    audit: { action: "data_source.create", target: "data_source" },
  }),
  "GET /api/data-sources/{id}": route({ access: "admin", summary: "One data source", params: idParams }),
  "PUT /api/data-sources/{id}": route({
    access: "admin",
    summary: "Change a data source; an omitted secret keeps the stored one while the origin stays",
    params: idParams,
    body: dataSourceInputSchema,
    audit: { action: "data_source.update", target: "data_source" },
  }),
  "DELETE /api/data-sources/{id}": route({
    access: "admin",
    summary: "Delete a data source (another becomes the default)",
    params: idParams,
    audit: { action: "data_source.delete", target: "data_source" },
  }),
  "POST /api/data-sources/{id}/test": route({
    access: "admin",
    summary: "Test a stored data source exactly as the read path uses it",
    params: idParams,
    audit: { action: "data_source.test", target: "data_source" },
  }),
  "POST /api/data-sources/test": route({
    access: "admin",
    summary: "Test an unsaved data source configuration (the form's values)",
    body: dataSourceTestSchema,
    audit: { action: "data_source.test", target: "data_source" },
  }),
  "GET /api/telemetry/fleet/hottest": route({
    access: "viewer",
    summary: "The fleet's hottest nodes right now",
    query: hottestQuerySchema,
  }),
  "GET /api/telemetry/site/{id}": route({
    access: "viewer",
    summary:
      "Chart data for one view of one site: temperature (node × time + lines), connectivity (link states, RTT on demand), one turbine metric, or the latest key metric per node",
    params: idParams,
    query: siteTelemetryQuerySchema,
  }),
};
