// "All N matching" resolved on the server through the real route handler and
// the real fleet roll-up (no collector: every site is judged from the registry).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as selectionRoute from "@/app/api/deployments/fleet-selection/route";
import { createApiToken, createUser } from "@/lib/auth/users";
import { fleetHealth } from "@/lib/fleet/health";
import { fleetList } from "@/lib/fleet/list";
import { createSite } from "@/lib/fleet/sites";
import { call } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { resolveFleetSelection } from "./fleet-selection-resolve";

let cleanup: () => Promise<void>;
let token: string;

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  for (let i = 1; i <= 7; i++)
    await createSite({
      name: `Store ${i}`,
      slug: `sel-store-${i}`,
      kind: "store",
      labels: { region: i <= 4 ? "eu" : "us" },
    });
  await createSite({ name: "Farm 1", slug: "sel-farm-1", kind: "wind-farm", labels: { region: "eu" } });
  const user = await createUser({ username: "viewer-sel", password: "viewer-password-1", role: "viewer" });
  token = (await createApiToken(user.id, "viewer", { name: "t", role: "viewer", expiresInDays: null })).token;
});
afterAll(() => cleanup());

describe("fleet selection resolution", () => {
  it("gives the sites the list's filter matches, in the list's order, minus the unticked ones", async () => {
    const r = await resolveFleetSelection({ fleet: "kind=store&label=region%3Deu", except: ["sel-store-2"] });
    expect(new Set(r.sites)).toEqual(new Set(["sel-store-1", "sel-store-3", "sel-store-4"]));
    expect(r.matching).toBe(4);
    expect(r.excluded).toBe(1);
    expect(r.description).toBe("kind store, label region=eu");
    const listOrder = (
      await fleetList({ status: [], kind: "store", label: "region=eu", offset: 0, limit: 50 })
    ).items.map((s) => s.slug);
    expect(r.sites).toEqual(listOrder.filter((s) => s !== "sel-store-2"));
  });

  it("an empty filter is every site; paging keys in the filter are ignored", async () => {
    const r = await resolveFleetSelection({ fleet: "offset=5&limit=1", except: [] });
    expect(r.sites).toHaveLength(8);
  });

  it("filters by state as the list does (the fleet's current state)", async () => {
    const fleet = await fleetHealth();
    const status = fleet.sites[0]?.status ?? "unknown";
    const want = (await fleetList({ status: [status], offset: 0, limit: 50 })).items.map((s) => s.slug);
    expect(want.length).toBe(fleet.sites.filter((s) => s.status === status).length);
    const r = await resolveFleetSelection({ fleet: `status=${status}`, except: [] });
    expect(r.sites).toEqual(want);
  });

  it("the route answers viewers, and a bad filter is a 422 naming the field", async () => {
    const ok = await call(selectionRoute.POST, "POST", {
      bearer: token,
      body: { fleet: "kind=wind-farm" },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.sites).toEqual(["sel-farm-1"]);

    const bad = await call(selectionRoute.POST, "POST", {
      bearer: token,
      body: { fleet: "kind=spaceship", except: [] },
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain("fleet.kind");

    const badExcept = await call(selectionRoute.POST, "POST", {
      bearer: token,
      body: { fleet: "", except: ["Not A Slug"] },
    });
    expect(badExcept.status).toBe(422);
    expect(JSON.stringify(badExcept.json)).toContain("except");
  });
});
