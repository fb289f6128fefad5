import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { testConnection } from "@/lib/kube/connection";
import { k3sStyleKubeconfig } from "@/lib/testing/kubeconfig-fixtures";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { siteLevelCelsius } from "@/lib/thresholds/store";
import { importFleet, summarize } from "./import";

// A server that starts a 16 KiB TLS handshake record and then trickles one byte of it
// every 100 ms: the handshake never finishes, and a socket idle timeout never fires.
let drip: net.Server;
let server = "";
let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" })).cleanup;
  drip = net.createServer((socket) => {
    socket.write(Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]));
    const timer = setInterval(() => socket.write(Buffer.from([0x02])), 100);
    socket.on("close", () => clearInterval(timer));
    socket.on("error", () => clearInterval(timer));
  });
  await new Promise<void>((r) => drip.listen(0, "127.0.0.1", r));
  server = `https://127.0.0.1:${(drip.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  drip.close();
  await cleanup();
});

describe("connection tests", () => {
  it("keep their whole deadline against a server that trickles bytes", async () => {
    const started = Date.now();
    const result = await testConnection(k3sStyleKubeconfig({ server }), 600);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ isOk: false, errorClass: "timeout" });
    // The deadline plus scheduling slack on a busy machine, far below what the drip would allow.
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe("bulk import", () => {
  it("tests connections a bounded number at a time, not one after another", async () => {
    const kubeconfig = k3sStyleKubeconfig({ server });
    const items = Array.from({ length: 24 }, (_, i) => ({
      site: { slug: `drip-${i}`, name: `Drip ${i}`, kind: "store" as const },
      cluster: { name: `k3s-${i}`, kubeconfig },
    }));
    const started = Date.now();
    const results = await importFleet(items, { testConnections: true, concurrency: 8, testTimeoutMs: 600 });
    const elapsed = Date.now() - started;
    expect(summarize(results)).toMatchObject({ created: 24, error: 0 });
    // 3 rounds of 0.6 s in parallel; one after another would take 14.4 s.
    expect(elapsed).toBeLessThan(8_000);
  });

  it("keeps the same site fields as a single create: threshold and data source", async () => {
    const source = await db().dataSource.create({
      data: { name: "Import source", url: "http://127.0.0.1:8086", database: "telegraf" },
    });
    const kubeconfig = k3sStyleKubeconfig({ server: "https://127.0.0.1:6553" });
    const [result] = await importFleet([
      {
        site: {
          slug: "hot-store",
          name: "Hot store",
          kind: "store",
          tempWarnCelsius: 70,
          dataSourceId: source.id,
        },
        cluster: { name: "k3s", kubeconfig },
      },
    ]);
    expect(result?.status).toBe("created");
    const site = await db().site.findUniqueOrThrow({ where: { slug: "hot-store" } });
    expect(site).toMatchObject({ dataSourceId: source.id });
    // The manifest's "hot above" is the site level of the threshold chain, as for a single create.
    expect((await siteLevelCelsius([site.id])).get(site.id)).toBe(70);
    const [bad] = await importFleet([
      {
        site: { slug: "lost-store", name: "Lost store", kind: "store", dataSourceId: "no-such-source" },
        cluster: { name: "k3s", kubeconfig },
      },
    ]);
    expect(bad).toMatchObject({ status: "error" });
    expect(bad?.message).toContain("dataSourceId");
    expect(await db().site.findUnique({ where: { slug: "lost-store" } })).toBeNull();
  });
});
