import { z } from "zod";
import { fleetQuerySchema } from "@/lib/fleet/health";
import {
  bulkImportSchema,
  clusterRegisterSchema,
  kubeconfigInputSchema,
  siteInputSchema,
} from "@/lib/fleet/schemas";
import { siteListQuerySchema } from "@/lib/fleet/sites";
import { fleetGridQuerySchema } from "@/lib/grid/fleet-grid";
import { idParams } from "../params";
import { route } from "../spec";

export const fleetRoutes = {
  "GET /api/sites": route({
    access: "viewer",
    summary: "Sites, keyset-paged by name, filtered by text and kind",
    query: siteListQuerySchema,
  }),
  "POST /api/sites": route({
    access: "admin",
    summary: "Create a site",
    body: siteInputSchema,
    audit: { action: "site.create", target: "site" },
  }),
  "GET /api/sites/{id}": route({
    access: "viewer",
    summary: "One site (id or slug) with its clusters",
    params: idParams,
  }),
  "PUT /api/sites/{id}": route({
    access: "admin",
    summary: "Replace a site's settings",
    params: idParams,
    body: siteInputSchema,
    audit: { action: "site.update", target: "site" },
  }),
  "DELETE /api/sites/{id}": route({
    access: "admin",
    summary: "Delete a site and its clusters",
    params: idParams,
    audit: { action: "site.delete", target: "site" },
  }),
  "GET /api/sites/{id}/health": route({
    access: "viewer",
    summary: "Health of one site: roll-up, reasons, clusters, nodes",
    params: idParams,
  }),
  "GET /api/clusters": route({
    access: "viewer",
    summary: "Registered clusters, optionally of one site",
    query: z.object({ siteId: z.string().max(64).optional() }),
  }),
  "POST /api/clusters": route({
    access: "admin",
    summary: "Register a cluster by kubeconfig (validated, encrypted at rest, optionally tested)",
    body: clusterRegisterSchema,
    audit: { action: "cluster.register", target: "cluster" },
  }),
  "GET /api/clusters/{id}": route({ access: "viewer", summary: "One cluster", params: idParams }),
  "DELETE /api/clusters/{id}": route({
    access: "admin",
    summary: "Remove a cluster and its stored kubeconfig",
    params: idParams,
    audit: { action: "cluster.delete", target: "cluster" },
  }),
  "POST /api/clusters/{id}/test": route({
    access: "operator",
    summary: "Test the connection to a registered cluster now",
    params: idParams,
  }),
  "POST /api/clusters/test": route({
    access: "admin",
    summary: "Validate a kubeconfig and call /version without storing anything",
    body: kubeconfigInputSchema,
  }),
  "POST /api/clusters/import": route({
    access: "admin",
    summary: "Register many sites and clusters at once (idempotent by site slug and cluster name)",
    body: bulkImportSchema,
    audit: { action: "cluster.import" },
  }),
  "GET /api/fleet/health": route({
    access: "viewer",
    summary: "Fleet overview: counts by state and sites worst-first, filtered and paged",
    query: fleetQuerySchema,
  }),
  "GET /api/fleet/map": route({
    access: "viewer",
    summary: "Every located site with its state, for the map",
  }),
  "GET /api/fleet/grid": route({
    access: "viewer",
    summary:
      "Health grid for one kind of site: sites worst first, each cluster as a tile (state, temperature, last seen)",
    query: fleetGridQuerySchema,
  }),
};
