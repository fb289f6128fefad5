// `npm run outpost -- deploy` against the real route handlers (in-process, real
// database, bearer token of an operator) and the real TLS simulator, with the
// deploy runner moving the rollout: create + roll out + --wait, then a second
// run that stores a new revision; and the errors a CI job must see clearly.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as revisionsRoute from "@/app/api/deployments/[id]/revisions/route";
import * as rolloutsRoute from "@/app/api/deployments/[id]/rollouts/route";
import * as deploymentRoute from "@/app/api/deployments/[id]/route";
import * as deploymentsRoute from "@/app/api/deployments/route";
import * as rolloutRoute from "@/app/api/rollouts/[id]/route";
import { createApiToken, createUser } from "@/lib/auth/users";
import { Collector } from "@/lib/collector/collector";
import { deployService } from "@/lib/deploy/service";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { kubeConfigFor, rawRequest, smallFleet } from "@/lib/simulator/testing";
import { call } from "@/lib/testing/api-client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { instanceId } from "@/lib/work/instance";
import type { RunningService } from "@/lib/work/service";
import { type DeployIo, deployCommand, type Fetch } from "./deploy-command";

let sim: SimulatorHandle;
let cleanup: () => Promise<void>;
let outDir: string;
let collector: Collector;
let service: RunningService;
let token: string;
const stop = new AbortController();
const policy = { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] as const };

type Route = Parameters<typeof call>[0];
const ROUTES: [string, RegExp, Route][] = [
  ["GET", /^\/api\/deployments\/([^/]+)$/, deploymentRoute.GET as Route],
  ["POST", /^\/api\/deployments$/, deploymentsRoute.POST as Route],
  ["POST", /^\/api\/deployments\/([^/]+)\/revisions$/, revisionsRoute.POST as Route],
  ["POST", /^\/api\/deployments\/([^/]+)\/rollouts$/, rolloutsRoute.POST as Route],
  ["GET", /^\/api\/rollouts\/([^/]+)$/, rolloutRoute.GET as Route],
];

/** The CLI's HTTP, answered by the route handlers themselves. */
const inProcessFetch: Fetch = async (url, init) => {
  const { pathname } = new URL(url);
  for (const [method, pattern, route] of ROUTES) {
    const m = pathname.match(pattern);
    if (method !== init.method || !m) continue;
    const res = await call(route, method, {
      bearer: init.headers.authorization?.replace(/^Bearer /, ""),
      ...(init.body !== undefined ? { body: JSON.parse(init.body) } : {}),
      ...(m[1] ? { params: { id: decodeURIComponent(m[1]) } } : {}),
    });
    return { status: res.status, json: async () => res.json };
  }
  throw new Error(`no route for ${init.method} ${pathname}`);
};

function io(files: Record<string, string>, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: DeployIo = {
    fetch: inProcessFetch,
    env: { OUTPOST_URL: "http://outpost.test", OUTPOST_TOKEN: token, ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (f) => {
      const text = files[f];
      if (text === undefined) throw new Error("ENOENT: no such file");
      return text;
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))),
  };
  return { io: value, out, err };
}

const web = (image: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: cli-config, namespace: default }
data: { image: "${image}" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: cli-web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: cli-web } }
  template:
    metadata: { labels: { app: cli-web } }
    spec: { containers: [{ name: web, image: "${image}" }] }
`;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-deploy-cli-"));
  sim = await startSimulator({
    fleet: smallFleet(),
    outDir,
    podStartMs: 150,
    deadlineScale: 0.01,
    tickMs: 50,
  });
  cleanup = (
    await useTempDataDir({
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_DEPLOY_TICK_MS: "100",
      OUTPOST_DEPLOY_CHECK_MS: "150",
      OUTPOST_DEPLOY_REQUEST_TIMEOUT_MS: "2000",
      OUTPOST_DEPLOY_DRIFT_MINUTES: "0",
    })
  ).cleanup;
  await importFleet(readFleetDirectory(outDir).items);
  collector = new Collector({ policy, concurrency: 8 });
  await collector.reload();
  await collector.sweepOnce();
  const user = await createUser({ username: "ci-bot", password: "ci-bot-password-1", role: "operator" });
  token = (await createApiToken(user.id, "operator", { name: "ci", role: "operator", expiresInDays: null }))
    .token;
  service = await deployService.start({ instanceId: instanceId(), role: "worker", signal: stop.signal });
}, 60_000);

afterAll(async () => {
  stop.abort();
  await service?.stop();
  await collector?.stop();
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe("npm run outpost -- deploy", () => {
  it("creates the deployment, rolls it out and waits until every target is ready; a second run adds a revision", async () => {
    const first = io({ "deploy/cli-web.yaml": web("nginx:1.27") });
    const code = await deployCommand(
      [
        "deploy/cli-web.yaml",
        "--to",
        "site=store-alpha-01|store-beta-01",
        "--soak",
        "0",
        "--message",
        "v1",
        "--wait",
      ],
      first.io,
    );
    expect(first.err).toEqual([]);
    expect(code).toBe(0);
    expect(first.out[0]).toBe("created deployment cli-web with revision 1");
    expect(first.out[1]).toMatch(/^rollout \S+: revision 1 to 2 clusters \(canary 1, /);
    expect(first.out.at(-1)).toMatch(/^completed: 2 done, 0 in flight, 0 waiting, 0 failed of 2/);
    const live = await rawRequest(
      kubeConfigFor(sim, "store-beta-01", "edge"),
      "/apis/apps/v1/namespaces/default/deployments/cli-web",
    );
    expect(live.status).toBe(200);
    expect((live.json as { metadata: { labels: Record<string, string> } }).metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "outpost",
      "outpost.dev/deployment": "cli-web",
    });

    const second = io({ "deploy/cli-web.yaml": web("nginx:1.28") });
    expect(
      await deployCommand(["deploy/cli-web.yaml", "--to", "site=store-alpha-01", "--soak", "0"], second.io),
    ).toBe(0);
    expect(second.out[0]).toBe("revision 2 of cli-web");
    expect(second.out[1]).toMatch(/revision 2 to 1 cluster \(/);
  });

  it("says what is wrong: no token, a bad selector, an invalid manifest named by document and field", async () => {
    const noToken = io({ "a.yaml": web("nginx:1.27") }, { OUTPOST_TOKEN: undefined });
    expect(await deployCommand(["a.yaml", "--to", "all"], noToken.io)).toBe(2);
    expect(noToken.err.join("\n")).toContain("OUTPOST_TOKEN is not set");

    const badSelector = io({ "a.yaml": web("nginx:1.27") });
    expect(await deployCommand(["a.yaml", "--to", "store"], badSelector.io)).toBe(2);
    expect(badSelector.err.join("\n")).toContain('"store" is not a selector term');

    const invalid = io({ "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n" });
    expect(await deployCommand(["bad.yaml", "--to", "all"], invalid.io)).toBe(2);
    expect(invalid.err.join("\n")).toMatch(/deployment bad not created: .*\n.*metadata\.name/);

    const missing = io({});
    expect(await deployCommand(["nope.yaml", "--to", "all"], missing.io)).toBe(2);
    expect(missing.err.join("\n")).toContain("cannot read nope.yaml");
  });
});
