import { describe, expect, it } from "vitest";
import {
  activeMaintenance,
  activeMaintenanceBySite,
  isMaintenanceActive,
  type MaintenanceWindow,
  nextMaintenance,
  wasInMaintenance,
} from "./windows";

const H = 3_600_000;
const T = Date.UTC(2026, 11, 1, 12);

function w(id: string, startsAt: number, endsAt: number, siteId = "s1"): MaintenanceWindow {
  return { id, siteId, startsAt, endsAt, reason: "swap the inverter", createdBy: "op" };
}

describe("activeMaintenance", () => {
  it("starts inclusive and ends exclusive", () => {
    const m = w("a", T, T + H);
    expect(isMaintenanceActive(m, T - 1)).toBe(false);
    expect(isMaintenanceActive(m, T)).toBe(true);
    expect(isMaintenanceActive(m, T + H - 1)).toBe(true);
    expect(isMaintenanceActive(m, T + H)).toBe(false);
  });

  it("is null with no window, past windows or future windows", () => {
    expect(activeMaintenance([], T)).toBeNull();
    expect(activeMaintenance([w("past", T - 2 * H, T - H), w("future", T + H, T + 2 * H)], T)).toBeNull();
  });

  it("picks the overlapping window that ends last", () => {
    const list = [w("short", T - H, T + H), w("long", T, T + 3 * H), w("past", T - 5 * H, T - 4 * H)];
    expect(activeMaintenance(list, T)?.id).toBe("long");
    expect(activeMaintenance(list, T - 1)?.id).toBe("short");
  });

  it("an ended window (endsAt moved to the moment it ended) is over", () => {
    expect(activeMaintenance([w("ended", T - H, T)], T)).toBeNull();
  });
});

describe("nextMaintenance", () => {
  it("returns the earliest planned window that has not started", () => {
    const list = [w("later", T + 5 * H, T + 6 * H), w("soon", T + H, T + 2 * H), w("now", T - H, T + H)];
    expect(nextMaintenance(list, T)?.id).toBe("soon");
    expect(nextMaintenance([w("now", T - H, T + H)], T)).toBeNull();
  });
});

describe("activeMaintenanceBySite", () => {
  it("answers per site in one pass", () => {
    const list = [w("a", T - H, T + H, "s1"), w("b", T - H, T + 2 * H, "s1"), w("c", T + H, T + 2 * H, "s2")];
    const by = activeMaintenanceBySite(list, T);
    expect(by.get("s1")?.id).toBe("b");
    expect(by.has("s2")).toBe(false);
  });
});

describe("wasInMaintenance", () => {
  it("judges a moment in the past by the windows of its site", () => {
    const list = [w("a", T - 3 * H, T - 2 * H, "s1")];
    expect(wasInMaintenance(list, "s1", T - 2.5 * H)).toBe(true);
    expect(wasInMaintenance(list, "s1", T - H)).toBe(false);
    expect(wasInMaintenance(list, "s2", T - 2.5 * H)).toBe(false);
  });
});
