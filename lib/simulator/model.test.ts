import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { demoFleet, generateFleet, isInOfflineWindow, telemetryNodes } from "./fleet";
import { parseSni } from "./front-door";
import { jsonMergePatch, serverSideApply, strategicMergePatch } from "./k8s/patch";
import { matchesLabels, parseFieldSelector, parseLabelSelector } from "./k8s/selectors";
import { createCa, generateKeyPair, issueCert } from "./pki";
import { scenarioSchema } from "./scenario";
import demoScenario from "./scenarios/demo.json";

describe("fleet model", () => {
  it("is deterministic for a seed and different across seeds", () => {
    const a = generateFleet({ sites: 40, seed: 5 });
    const b = generateFleet({ sites: 40, seed: 5 });
    const c = generateFleet({ sites: 40, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("produces URL-safe unique slugs, all kinds, and plausible hardware", () => {
    const fleet = generateFleet({ sites: 200, seed: 9 });
    const slugs = fleet.sites.map((s) => s.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(new Set(fleet.sites.map((s) => s.kind))).toEqual(
      new Set(["wind-farm", "store", "vehicle", "factory"]),
    );
    const nodes = fleet.sites.flatMap((s) => s.clusters.flatMap((c) => c.nodes));
    expect(new Set(nodes.map((n) => n.arch))).toEqual(new Set(["arm64", "amd64"]));
    expect(nodes.some((n) => n.gpus > 0)).toBe(true);
    for (const n of nodes) expect(n.memoryMi).toBeGreaterThanOrEqual(1024);
    for (const n of nodes) expect(n.memoryMi).toBeLessThanOrEqual(8192);
    for (const farm of fleet.sites.filter((s) => s.kind === "wind-farm")) {
      expect(farm.clusters[0]?.nodes).toHaveLength(3);
      expect(farm.clusters.length - 1).toBeGreaterThanOrEqual(10);
      expect(farm.clusters.length - 1).toBeLessThanOrEqual(40);
    }
    for (const v of fleet.sites.filter((s) => s.kind === "vehicle")) {
      expect(v.clusters[0]?.nodes).toHaveLength(1);
      expect(v.offlineWindows.some((w) => w.kind === "nightly")).toBe(true);
    }
  });

  it("has the demo preset the demo scenario relies on", () => {
    const fleet = demoFleet();
    expect(fleet.sites).toHaveLength(30);
    const farm = fleet.sites.find((s) => s.slug === "wf-north-sea-1");
    expect(farm?.clusters.filter((c) => c.role === "turbine")).toHaveLength(20);
    expect(fleet.sites.find((s) => s.slug === "store-paris-01")?.clusters[0]?.clientCertDays).toBe(10);
    expect(
      fleet.sites.find((s) => s.slug === "store-munich-01")?.clusters[0]?.nodes.map((n) => n.name),
    ).toEqual(["pi-01", "pi-02", "pi-03"]);
    const scenario = scenarioSchema.parse(demoScenario);
    const bySlug = new Map(fleet.sites.map((s) => [s.slug, s]));
    for (const step of scenario.steps) {
      const site = bySlug.get(step.site);
      expect(site, step.site).toBeDefined();
      const cluster = step.cluster ? site?.clusters.find((c) => c.name === step.cluster) : undefined;
      if (step.cluster) expect(cluster, `${step.site}/${step.cluster}`).toBeDefined();
      if (step.node) expect(cluster?.nodes.some((n) => n.name === step.node)).toBe(true);
    }
    const turbineNodes = telemetryNodes(fleet).filter((n) => n.isTurbine);
    expect(turbineNodes).toHaveLength(32);
  });

  it("evaluates vehicles' coverage windows", () => {
    const truck = demoFleet().sites.find((s) => s.kind === "vehicle");
    if (!truck) throw new Error("no vehicle");
    const nightly = truck.offlineWindows.find((w) => w.kind === "nightly");
    if (nightly?.kind !== "nightly") throw new Error("no nightly window");
    const midnight = Date.UTC(2026, 0, 1);
    const inside = midnight + (nightly.startMinuteUtc + 1) * 60_000;
    const outside = midnight + ((nightly.startMinuteUtc + nightly.durationMinutes + 60) % 1440) * 60_000;
    expect(isInOfflineWindow(truck, midnight - 86_400_000 * 3, inside)).toBe(true);
    expect(isInOfflineWindow({ ...truck, offlineWindows: [nightly] }, midnight, outside)).toBe(false);
  });
});

describe("pki", () => {
  it("issues certificates that parse and chain, with minimal DER serials", () => {
    const now = new Date();
    const ca = createCa("test-ca", now);
    const caX509 = new X509Certificate(ca.cert);
    for (let i = 0; i < 300; i++) {
      const leaf = issueCert(
        {
          commonName: `n${i}`,
          usage: "server",
          dnsNames: ["a.example"],
          notBefore: now,
          notAfter: new Date(now.getTime() + 1000),
        },
        generateKeyPair(),
        ca,
      );
      const x = new X509Certificate(leaf.cert);
      expect(x.checkIssued(caX509) && x.verify(caX509.publicKey)).toBe(true);
      expect(x.serialNumber).not.toMatch(/^00[0-7]/);
    }
    expect(caX509.ca).toBe(true);
  });
});

describe("selectors", () => {
  it("parses and matches label selectors", () => {
    const reqs = parseLabelSelector("app in (a, b),tier!=db,!legacy,env");
    expect(matchesLabels(reqs, { app: "a", env: "x" })).toBe(true);
    expect(matchesLabels(reqs, { app: "c", env: "x" })).toBe(false);
    expect(matchesLabels(reqs, { app: "a", env: "x", tier: "db" })).toBe(false);
    expect(matchesLabels(reqs, { app: "a", env: "x", legacy: "1" })).toBe(false);
    expect(matchesLabels(reqs, { app: "a" })).toBe(false);
    expect(() => parseLabelSelector("a b c")).toThrow();
    expect(() => parseFieldSelector("spec.nope=1", "Pod")).toThrow("field label not supported");
  });
});

describe("patches", () => {
  it("merges maps and named lists", () => {
    expect(jsonMergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } })).toEqual({ a: 1, b: { d: 3 } });
    const merged = strategicMergePatch(
      {
        containers: [
          { name: "a", image: "x:1" },
          { name: "b", image: "y:1" },
        ],
      },
      { containers: [{ name: "b", image: "y:2" }] },
    );
    expect(merged).toEqual({
      containers: [
        { name: "a", image: "x:1" },
        { name: "b", image: "y:2" },
      ],
    });
  });

  it("drops fields a manager stops applying", () => {
    const first = serverSideApply(
      undefined,
      { metadata: { name: "x", labels: { a: "1", b: "2" } } },
      "m",
      "v1",
      "t",
      false,
    );
    const live = {
      ...first.object,
      metadata: { ...(first.object.metadata as object), managedFields: first.managedFields },
    };
    const second = serverSideApply(
      live,
      { metadata: { name: "x", labels: { a: "1" } } },
      "m",
      "v1",
      "t",
      false,
    );
    expect((second.object.metadata as { labels: object }).labels).toEqual({ a: "1" });
  });
});

describe("SNI parsing", () => {
  it("asks for more bytes on a partial record and rejects non-TLS", () => {
    expect(parseSni(Buffer.from([0x16, 3, 1]))).toEqual({ status: "more" });
    expect(parseSni(Buffer.from("GET / HTTP/1.1\r\n"))).toEqual({ status: "invalid" });
  });
});
