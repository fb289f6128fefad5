import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonSchema, openApiDocument } from "./openapi";
import { ROUTES } from "./routes";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { parameters: { name: string; in: string }[]; requestBody?: unknown }>
  >;
};

describe("/api/openapi.json", () => {
  const doc = openApiDocument() as Doc;

  it("is OpenAPI 3.1 with every route of the table (the matrix test ties the table to app/api/)", () => {
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("describes path and query parameters and JSON bodies from the handlers' own schemas", () => {
    const site = doc.paths["/api/sites/{id}"]?.put;
    expect(site?.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path" }));
    expect(JSON.stringify(site?.requestBody)).toContain("tempWarnCelsius");
    const fleet = doc.paths["/api/fleet/health"]?.get;
    expect(fleet?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["status", "kind", "label", "q", "offset", "limit"]),
    );
  });

  it("declares every path parameter of every route", () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const declared = op.parameters.filter((x) => x.in === "path").map((x) => x.name);
        expect(declared.sort(), `${method.toUpperCase()} ${p}`).toEqual([...names].sort());
      }
    }
  });

  it("refuses a schema it cannot render instead of publishing a wrong one", () => {
    expect(() => jsonSchema(z.object({ at: z.custom<Date>((v) => v instanceof Date) }))).toThrow();
  });
});
