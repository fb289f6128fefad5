import "server-only";
import { z } from "zod";
import { ERROR_STATUS } from "@/lib/errors";
import { ROUTES } from "./routes";
import { type AnyRouteSpec, type ObjectSchema, splitRouteKey } from "./spec";

// /api/openapi.json, generated from the route table: the same zod schemas the
// handler wrapper parses with, rendered as JSON Schema (2020-12, what OpenAPI 3.1
// uses) in their input form. A schema that cannot be rendered throws here, and the
// test of this module fails before anyone ships it.

type Json = Record<string, unknown>;

export function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Json;
  return rest;
}

function parametersOf(schema: ObjectSchema | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const rendered = jsonSchema(schema) as { properties?: Record<string, Json>; required?: string[] };
  const required = new Set(rendered.required ?? []);
  return Object.entries(rendered.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof s.description === "string" ? { description: s.description } : {}),
    schema: s,
  }));
}

const errorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "issues"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_STATUS) },
        message: { type: "string" },
        issues: {
          type: "array",
          description: 'one entry per offending field; path is dotted, "" for the whole input',
          items: {
            type: "object",
            required: ["path", "message"],
            properties: { path: { type: "string" }, message: { type: "string" } },
          },
        },
      },
    },
  },
};

function responsesOf(spec: AnyRouteSpec, method: string): Json {
  const error = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  const out: Json = {
    "200": {
      description: "OK",
      content: { "application/json": { schema: spec.response ? jsonSchema(spec.response) : {} } },
    },
  };
  if (spec.params || spec.query || spec.body) out["422"] = error("Invalid input; issues name each field");
  out["400"] = error("Malformed request (bad JSON, unknown query parameter)");
  if (spec.body) {
    out["413"] = error("Body larger than 4 MiB");
    out["415"] = error("Body is not application/json");
  }
  if (spec.access === "embed-token") {
    out["401"] = error("Embed token invalid, or a signed token expired");
    out["403"] = error("Embed revoked, expired, or asked for more than its grant (site, chart, range)");
    out["429"] = error("Over the grant's requests per minute (Retry-After)");
  } else if (spec.access !== "public") {
    out["401"] = error("No valid session or API token");
    out["403"] = error(`Needs the ${spec.access} role, or a cookie request from another origin`);
  } else if (method !== "get") {
    out["403"] = error("Request from another origin");
  }
  return out;
}

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const [key, spec] of Object.entries(ROUTES) as [string, AnyRouteSpec][]) {
    const { method, path } = splitRouteKey(key);
    const m = method.toLowerCase();
    const tag = path.split("/")[2] ?? "api";
    const operation: Json = {
      operationId: `${m}${path
        .replace(/^\/api/, "")
        .split(/[/{}.-]+/)
        .filter(Boolean)
        .map((p) => p[0]?.toUpperCase() + p.slice(1))
        .join("")}`,
      summary: spec.summary,
      tags: [tag],
      "x-outpost-access": spec.access,
      ...(spec.audit ? { "x-outpost-audit-action": spec.audit.action } : {}),
      security:
        spec.access === "public" || spec.access === "embed-token"
          ? []
          : [{ bearerToken: [] }, { sessionCookie: [] }],
      parameters: [...parametersOf(spec.params, "path"), ...parametersOf(spec.query, "query")],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(spec.body) } },
            },
          }
        : {}),
      responses: responsesOf(spec, m),
    };
    paths[path] = { ...(paths[path] ?? {}), [m]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Outpost API",
      version: "1",
      description:
        "Control center for fleets of edge k3s clusters. Automation authenticates with an API token " +
        "(Authorization: Bearer opt_…, created under Settings → API tokens); its role is capped at its owner's current role. " +
        "Browser sessions use the session cookie and must send a same-origin Origin header on unsafe methods. " +
        "Unknown query parameters are refused with 400; invalid input answers 422 naming each field.",
    },
    paths,
    components: {
      schemas: { Error: errorBody },
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "API token (opt_…)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "outpost_session" },
      },
    },
  };
}
