import { describe, expect, it } from "vitest";
import { SiteGate } from "./site-gate";

describe("SiteGate", () => {
  it("lets at most N operations run per site, others in arrival order, sites independent", async () => {
    const gate = new SiteGate(2);
    const order: string[] = [];
    const a = await gate.acquire("farm");
    const b = await gate.acquire("farm");
    const other = await gate.acquire("store");
    expect(gate.running("farm")).toBe(2);
    const c = gate.acquire("farm").then((release) => {
      order.push("c");
      return release;
    });
    const d = gate.acquire("farm").then((release) => {
      order.push("d");
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    a();
    a(); // releasing twice frees one slot only
    const releaseC = await c;
    expect(order).toEqual(["c"]);
    expect(gate.running("farm")).toBe(2);
    b();
    const releaseD = await d;
    expect(order).toEqual(["c", "d"]);
    releaseC();
    releaseD();
    other();
    expect(gate.running("farm")).toBe(0);
    expect(gate.running("store")).toBe(0);
  });

  it("drops an aborted waiter", async () => {
    const gate = new SiteGate(1);
    const held = await gate.acquire("s");
    const abort = new AbortController();
    const waiting = gate.acquire("s", abort.signal);
    abort.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    held();
    expect(gate.running("s")).toBe(0);
    const again = await gate.acquire("s");
    expect(gate.running("s")).toBe(1);
    again();
  });
});
