import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as auditRoute from "@/app/api/audit/route";
import * as login from "@/app/api/auth/login/route";
import * as clusterRoute from "@/app/api/clusters/[id]/route";
import * as importRoute from "@/app/api/clusters/import/route";
import * as clusters from "@/app/api/clusters/route";
import * as clusterTest from "@/app/api/clusters/test/route";
import * as site from "@/app/api/sites/[id]/route";
import * as sites from "@/app/api/sites/route";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { smallFleet } from "@/lib/simulator/testing";
import { call, sessionCookieFrom } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { importFleet } from "./import";
import { readFleetDirectory } from "./import-dir";

// Real HTTPS to the simulator (a Kubernetes API with per-cluster CAs), real
// SQLite, the real route handlers. Also the secrets check: a kubeconfig's key
// and token must never appear in any API response or log line.

let sim: SimulatorHandle;
let cleanup: () => Promise<void>;
let cookie: string;
let outDir: string;
const output: string[] = [];
const originalWrite = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-fleet-"));
  sim = await startSimulator({ fleet: smallFleet(), outDir, isScheduleEnabled: false });
  cleanup = (
    await useTempDataDir({
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_ADMIN_PASSWORD: "registration-test-pw",
      OUTPOST_LOG_LEVEL: "debug",
    })
  ).cleanup;
  // Capture everything the server side prints, to grep it for secrets.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(String(chunk));
    return originalWrite.out(chunk, ...(rest as []));
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    output.push(String(chunk));
    return originalWrite.err(chunk, ...(rest as []));
  }) as typeof process.stderr.write;
  await ensureFirstAdmin();
  cookie = sessionCookieFrom(
    await call(login.POST, "POST", { body: { username: "admin", password: "registration-test-pw" } }),
  );
}, 60_000);

afterAll(async () => {
  process.stdout.write = originalWrite.out;
  process.stderr.write = originalWrite.err;
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

function firstCluster(slug: string): string {
  const name = sim.fleet.sites.find((s) => s.slug === slug)?.clusters[0]?.name;
  if (!name) throw new Error(`no cluster at ${slug}`);
  return name;
}

function secretsOf(kubeconfig: string): string[] {
  const doc = parse(kubeconfig);
  const user = doc.users[0].user;
  const out: string[] = [];
  if (user.token) out.push(user.token);
  if (user["client-key-data"]) {
    out.push(user["client-key-data"]);
    // The decoded key body too, in case something logs the PEM.
    const pem = Buffer.from(user["client-key-data"], "base64").toString("utf8");
    const body = pem.split("\n").filter((l) => l && !l.startsWith("-----"))[0];
    if (body) out.push(body);
  }
  return out;
}

describe("cluster registration over real TLS", () => {
  const responses: string[] = [];
  const secrets: string[] = [];

  it("tests a kubeconfig: k3s version, platform and certificate expiry, nothing stored", async () => {
    const kubeconfig = sim.kubeconfigFor("store-alpha-01", firstCluster("store-alpha-01"));
    secrets.push(...secretsOf(kubeconfig));
    const res = await call(clusterTest.POST, "POST", { cookie, body: { kubeconfig } });
    responses.push(res.text);
    expect(res.status).toBe(200);
    expect(res.json.connection.isOk).toBe(true);
    expect(res.json.connection.gitVersion).toMatch(/\+k3s\d/);
    expect(res.json.connection.isK3s).toBe(true);
    expect(res.json.facts.authKind).toBe("client-cert");
    expect(new Date(res.json.facts.clientCertNotAfter).getTime()).toBeGreaterThan(Date.now());
    expect(await db().cluster.count()).toBe(0);
  });

  it("registers a cluster; no response or log contains its credentials", async () => {
    const created = await call(sites.POST, "POST", { cookie, body: { name: "Alpha store", kind: "store" } });
    const siteId = created.json.site.id;
    const kubeconfig = sim.kubeconfigFor("store-alpha-01", firstCluster("store-alpha-01"));
    const tokenKubeconfig = sim.kubeconfigFor("store-beta-01", firstCluster("store-beta-01"), {
      auth: "admin-token",
    });
    secrets.push(...secretsOf(kubeconfig), ...secretsOf(tokenKubeconfig));
    const reg = await call(clusters.POST, "POST", { cookie, body: { siteId, name: "k3s", kubeconfig } });
    expect(reg.status).toBe(200);
    expect(reg.json.cluster.k3sVersion).toMatch(/\+k3s/);
    const reg2 = await call(clusters.POST, "POST", {
      cookie,
      body: { siteId, name: "beta", kubeconfig: tokenKubeconfig },
    });
    expect(reg2.status).toBe(200);
    expect(reg2.json.cluster.authKind).toBe("token");
    responses.push(reg.text, reg2.text);
    responses.push((await call(clusters.GET, "GET", { cookie })).text);
    responses.push(
      (await call(clusterRoute.GET, "GET", { cookie, params: { id: reg.json.cluster.id } })).text,
    );
    responses.push((await call(site.GET, "GET", { cookie, params: { id: siteId } })).text);
    responses.push((await call(auditRoute.GET, "GET", { cookie })).text);

    // Stored encrypted: the raw row does not contain the secrets either.
    const row = await db().cluster.findUniqueOrThrow({ where: { id: reg.json.cluster.id } });
    responses.push(JSON.stringify(row));

    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) {
      for (const text of [...responses, output.join("")]) expect(text.includes(secret)).toBe(false);
    }
    // The check can see a secret when one is there: guard against a vacuous pass.
    expect(
      [...responses, JSON.stringify({ k: secrets[0] })].some((t) => t.includes(secrets[0] as string)),
    ).toBe(true);
  });

  it("refuses a duplicate and explains unreachable clusters, saving only on request", async () => {
    const siteId = (await call(sites.POST, "POST", { cookie, body: { name: "Dup store", kind: "store" } }))
      .json.site.id;
    const kubeconfig = sim.kubeconfigFor("store-beta-01", firstCluster("store-beta-01"));
    expect(
      (await call(clusters.POST, "POST", { cookie, body: { siteId, name: "dup", kubeconfig } })).status,
    ).toBe(200);
    const dup = await call(clusters.POST, "POST", { cookie, body: { siteId, name: "dup", kubeconfig } });
    expect(dup.status).toBe(409);

    const fault = sim.faults.add({ type: "offline", site: "truck-001" });
    const truck = sim.kubeconfigFor("truck-001", firstCluster("truck-001"));
    const refused = await call(clusters.POST, "POST", {
      cookie,
      body: { siteId, name: "truck", kubeconfig: truck },
    });
    expect(refused.status).toBe(502);
    expect(refused.json.error.message).toContain("connection refused");
    const saved = await call(clusters.POST, "POST", {
      cookie,
      body: { siteId, name: "truck", kubeconfig: truck, allowUnreachable: true },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.cluster.k3sVersion).toBeNull();
    sim.faults.remove(fault.id);
  });

  it("refuses an exec kubeconfig before any connection, naming the field", async () => {
    const doc = parse(sim.kubeconfigFor("store-alpha-01", firstCluster("store-alpha-01")));
    doc.users[0].user = {
      exec: {
        command: "/bin/sh",
        args: ["-c", "touch /tmp/pwned"],
        apiVersion: "client.authentication.k8s.io/v1",
      },
    };
    const res = await call(clusterTest.POST, "POST", { cookie, body: { kubeconfig: JSON.stringify(doc) } });
    expect(res.status).toBe(422);
    expect(res.json.error.issues[0].path).toBe("user.exec");
    expect(fs.existsSync("/tmp/pwned")).toBe(false);
  });
});

describe("bulk import from the simulator's directory", () => {
  it("imports every cluster with site details, and re-running changes nothing", async () => {
    const { items, problems } = readFleetDirectory(outDir);
    expect(problems).toEqual([]);
    const expected = sim.manifest.sites.reduce((n, s) => n + s.clusters.length, 0);
    expect(items).toHaveLength(expected);
    const before = await db().cluster.count();
    const first = await importFleet(items);
    expect(first.filter((r) => r.status === "error")).toEqual([]);
    // Clusters sharing one listener address differ by SNI name: none may overwrite another.
    // (truck-001's "truck" was registered by hand above: the import updates it instead of duplicating it.)
    const updated = first.filter((r) => r.status === "updated").map((r) => `${r.site}/${r.cluster}`);
    expect(updated).toEqual(["truck-001/truck"]);
    expect(await db().cluster.count()).toBe(before + expected - 1);
    const truck = await db().site.findUniqueOrThrow({ where: { slug: "truck-001" } });
    expect(truck.kind).toBe("vehicle");
    expect(truck.contactMode).toBe("intermittent");
    const second = await importFleet(items);
    expect(second.every((r) => r.status === "unchanged")).toBe(true);
  });

  it("reports each bad item on its own through the API", async () => {
    const good = readFleetDirectory(outDir).items[0];
    const res = await call(importRoute.POST, "POST", {
      cookie,
      body: {
        items: [
          good,
          {
            site: { slug: "bad-site", name: "Bad", kind: "store" },
            cluster: { name: "x", kubeconfig: "not: [yaml" },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results[0].status).toBe("unchanged");
    expect(res.json.results[1].status).toBe("error");
    expect(res.json.results[1].message).toContain("YAML");
  });
});
