import { z } from "zod";
import { tokenCreateSchema, userCreateSchema, userUpdateSchema } from "@/lib/auth/schemas";
import { idParams } from "../params";
import { route } from "../spec";

export const adminRoutes = {
  "GET /api/users": route({ access: "admin", summary: "Users and their roles" }),
  "POST /api/users": route({
    access: "admin",
    summary: "Create a user",
    body: userCreateSchema,
    audit: { action: "user.create", target: "user" },
  }),
  "PATCH /api/users/{id}": route({
    access: "admin",
    summary: "Change a user's role, disable or enable, or set a new password",
    params: idParams,
    body: userUpdateSchema,
    audit: { action: "user.update", target: "user" },
  }),
  "DELETE /api/users/{id}": route({
    access: "admin",
    summary: "Delete a user",
    params: idParams,
    audit: { action: "user.delete", target: "user" },
  }),
  "GET /api/tokens": route({ access: "admin", summary: "API tokens (never the token itself)" }),
  "POST /api/tokens": route({
    access: "admin",
    summary: "Create an API token; the token is in this answer and nowhere else",
    body: tokenCreateSchema,
    audit: { action: "token.create", target: "token" },
  }),
  "DELETE /api/tokens/{id}": route({
    access: "admin",
    summary: "Revoke an API token",
    params: idParams,
    audit: { action: "token.revoke", target: "token" },
  }),
  "GET /api/audit": route({
    access: "admin",
    summary: "The audit log, newest first",
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  }),
};
