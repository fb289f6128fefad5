// 100 stores: Outpost's rollout (waves all, 32 in flight, durable jobs, readiness
// checks) vs a naive sequential apply-and-wait loop with client-node, both doing
// server-side apply of the same two objects and waiting until the Deployment is available.
import fs from "node:fs";
import path from "node:path";
import { type BenchSection, freshDataDir, importDirs, record, withFleet } from "../kit";

const COUNT = 100;

const manifest = (tag: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: bench-config, namespace: default }
data: { tag: "${tag}" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: bench-web, namespace: default, labels: { app: bench-web } }
spec:
  replicas: 1
  selector: { matchLabels: { app: bench-web } }
  template:
    metadata: { labels: { app: bench-web } }
    spec: { containers: [{ name: web, image: "nginx:${tag}" }] }
`;

async function untilDone(rolloutId: string): Promise<number> {
  const { db } = await import("@/lib/db/client");
  const started = performance.now();
  for (;;) {
    const r = await db().rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    if (r.state !== "running") {
      if (r.state !== "completed") throw new Error(`rollout ${r.state}: ${r.stateReason}`);
      return performance.now() - started;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function benchDeploy(): Promise<void> {
  process.stdout.write(
    `\n▶ deploy: rollout to ${COUNT} stores, Outpost vs naive sequential apply-and-wait\n`,
  );
  const dataDir = await freshDataDir("outpost-bench-deploy-");
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_DEPLOY_TICK_MS = "200";
  process.env.OUTPOST_DEPLOY_CHECK_MS = "500";
  process.env.OUTPOST_DEPLOY_CONCURRENCY = "32";
  process.env.OUTPOST_DEPLOY_DRIFT_MINUTES = "0";
  const { resetEnvForTests } = await import("@/lib/env");
  resetEnvForTests();
  await withFleet(dataDir, [COUNT], async (dirs) => {
    const imported = await importDirs(dirs);
    const { Collector } = await import("@/lib/collector/collector");
    const collector = new Collector({
      policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
      concurrency: 32,
    });
    await collector.reload();
    await collector.sweepOnce();
    const { createDeployment, createRevision } = await import("@/lib/deploy/deployments");
    const { startRollout } = await import("@/lib/deploy/rollouts");
    const { strategyWith } = await import("@/lib/deploy/strategy");
    const { deployService } = await import("@/lib/deploy/service");
    const { instanceId } = await import("@/lib/work/instance");
    const admin = {
      kind: "session",
      userId: "bench",
      username: "bench",
      role: "admin",
      credentialId: "b",
    } as const;
    const stop = new AbortController();
    const service = await deployService.start({
      instanceId: instanceId(),
      role: "worker",
      signal: stop.signal,
    });
    try {
      const created = await createDeployment(
        { name: "bench-web", description: "", manifest: manifest("1.27"), message: "" },
        admin,
      );
      const strategy = strategyWith({
        canary: { count: 0 },
        waves: { by: "all" },
        soakSeconds: 0,
        maxInFlight: 32,
      });
      const first = await startRollout(
        "bench-web",
        { targets: { kinds: ["store"] }, strategy, force: false },
        admin,
      );
      const ms = await untilDone(first.id);
      record("deploy", `rollout to ${imported} stores, applied + available, Outpost`, ms, "ms");
      record("deploy", "  clusters per second", (imported * 1000) / ms, "/s");
      const again = await startRollout(
        "bench-web",
        { targets: { kinds: ["store"] }, strategy, force: false },
        admin,
      );
      record("deploy", "  same revision again (SSA no-op on every cluster)", await untilDone(again.id), "ms");
      await createRevision(created.deployment.id, { manifest: manifest("1.28"), message: "" }, admin);
      const next = await startRollout(
        "bench-web",
        { targets: { kinds: ["store"] }, strategy, force: false },
        admin,
      );
      record("deploy", "  next revision (new pods everywhere)", await untilDone(next.id), "ms");
    } finally {
      stop.abort();
      await service.stop();
      await collector.stop();
    }

    const { KubeConfig, KubernetesObjectApi, AppsV1Api } = await import("@kubernetes/client-node");
    const { parse } = await import("yaml");
    const kubeconfigs = dirs.flatMap((d) =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) =>
          fs.readdirSync(path.join(d, e.name)).map((f) => fs.readFileSync(path.join(d, e.name, f), "utf8")),
        ),
    );
    const objects = manifest("1.29")
      .split("---")
      .map((doc) => parse(doc));
    const started = performance.now();
    for (const text of kubeconfigs) {
      const kc = new KubeConfig();
      kc.loadFromString(text);
      const api = KubernetesObjectApi.makeApiClient(kc);
      for (const o of objects)
        await api.patch(o, undefined, undefined, "naive", true, "application/apply-patch+yaml");
      const apps = kc.makeApiClient(AppsV1Api);
      for (;;) {
        const d = await apps.readNamespacedDeployment({ name: "bench-web", namespace: "default" });
        if (
          d.status?.updatedReplicas === 1 &&
          d.status.availableReplicas === 1 &&
          !d.status.unavailableReplicas
        )
          break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    const naive = performance.now() - started;
    record("deploy", `same ${kubeconfigs.length} stores, naive sequential apply-and-wait`, naive, "ms");
  });
}

export const deploySection: BenchSection = {
  name: "deploy",
  summary: "rollout to 100 stores: Outpost's waves and jobs vs a naive sequential apply-and-wait",
  async run() {
    await benchDeploy();
  },
};
