import { z } from "zod";
import {
  embedDataQuerySchema,
  grantCreateSchema,
  grantListQuerySchema,
  previewQuerySchema,
} from "@/lib/embed/schemas";
import { idParams } from "../params";
import { route } from "../spec";

// Embeds (issue 11). Grant management is the session zone like every other
// route; the data route is the token zone: access "embed-token", the token in
// the path is its only credential, and no cookie or API token changes anything.

export const embedRoutes = {
  "GET /api/embed-grants": route({
    access: "operator",
    summary: "Embed grants: all for admins, their own for operators (last used, use count, state)",
    query: grantListQuerySchema,
  }),
  "POST /api/embed-grants": route({
    access: "operator",
    summary: "Create an embed grant; its link token or signing secret is in this answer and nowhere else",
    body: grantCreateSchema,
    audit: { action: "embed.grant.create", target: "embed-grant" },
  }),
  "GET /api/embed-grants/{id}": route({ access: "operator", summary: "One embed grant", params: idParams }),
  "POST /api/embed-grants/{id}/revoke": route({
    access: "operator",
    summary: "Revoke an embed grant: every page, refresh, data and CSV request is refused from now on",
    params: idParams,
    audit: { action: "embed.grant.revoke", target: "embed-grant" },
  }),
  "POST /api/embed-grants/{id}/reissue": route({
    access: "operator",
    summary: "Replace a grant's link token or signing secret (shown once); the old one stops at once",
    params: idParams,
    audit: { action: "embed.grant.reissue", target: "embed-grant" },
  }),
  "GET /api/embed-grants/{id}/events": route({
    access: "operator",
    summary: "A grant's audit trail: creation, reissues, revocation and refused requests",
    params: idParams,
  }),
  "GET /api/embed-grants/preview": route({
    access: "operator",
    summary: "HTML preview of an embed before its grant exists (framed by Outpost only)",
    query: previewQuerySchema,
  }),
  "GET /api/embed/{token}/data": route({
    access: "embed-token",
    summary: "What an embed shows, as JSON or CSV (?format=csv); the path token is the only credential",
    params: z.object({ token: z.string().min(1).max(4_096) }),
    query: embedDataQuerySchema,
  }),
};
