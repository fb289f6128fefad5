import { describe, expect, it } from "vitest";
import { classifyStatus } from "./outcome";

describe("classifyStatus", () => {
  it("turns a field-manager 409 into a conflict naming fields and managers", () => {
    const outcome = classifyStatus(
      409,
      {
        details: {
          causes: [
            {
              reason: "FieldManagerConflict",
              message: 'conflict with "kubectl-edit" using apps/v1',
              field: ".spec.replicas",
            },
          ],
        },
      },
      "Deployment pos/web",
    );
    expect(outcome).toMatchObject({
      kind: "conflict",
      message: "Deployment pos/web: .spec.replicas owned by kubectl-edit",
    });
  });

  it("fails on what the API refuses and waits on what the server or credentials cause", () => {
    expect(classifyStatus(422, { message: "spec.x: Invalid value" }, "D x")).toEqual({
      kind: "rejected",
      message: "D x: spec.x: Invalid value",
      status: 422,
    });
    expect(classifyStatus(409, { reason: "AlreadyExists", message: "exists" }, "D x").kind).toBe("rejected");
    for (const status of [401, 403, 429, 500, 503])
      expect(classifyStatus(status, undefined, "D x").kind).toBe("unreachable");
    expect(
      classifyStatus(
        404,
        { details: { causes: [{ reason: "UnexpectedServerResponse", message: "404 page not found" }] } },
        "W x",
      ).kind,
    ).toBe("missing-kind");
    expect(
      classifyStatus(404, { reason: "NotFound", message: 'namespaces "pos" not found' }, "D x").kind,
    ).toBe("rejected");
  });
});
