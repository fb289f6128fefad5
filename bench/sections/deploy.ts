// Preflight (dry run) and apply of a 3-object manifest to N single-cluster stores
// (default 1,000 and 5,000; OUTPOST_BENCH_DEPLOY_SIZES=…): Outpost's durable
// preview and rollout (jobs in the database, bounded concurrency, readiness checks)
// beside the naive way, a script looping over the kubeconfigs with client-node one
// cluster after another — in the same run, with wall time, CPU and peak RSS of
// this process (the runner and the database live here; the simulators' CPU is
// counted apart). At the largest size: the deployment's pages and APIs with that
// many targets, served by the production server.
import { type ChildProcess, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  type BenchSection,
  ensureBuild,
  freshDataDir,
  importDirs,
  mb,
  percentile,
  record,
  splitAcrossProcesses,
  withFleet,
} from "../kit";
import { startBenchServer, stopBenchServer } from "../web-server";

const PER_PROCESS = 2_000;
const CONCURRENCY = 32;
/**
 * The naive loop is sequential, so its time grows linearly with the fleet: above
 * this many stores it runs on the first NAIVE_MAX and the total is projected
 * (said so in the line), keeping a 5,000-store run within its 10-minute slot.
 */
const NAIVE_MAX = Number(process.env.OUTPOST_BENCH_DEPLOY_NAIVE_MAX ?? 1_000);

function sizes(): number[] {
  const raw = process.env.OUTPOST_BENCH_DEPLOY_SIZES ?? "1000,5000";
  const out = raw
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return out.length > 0 ? out : [1_000, 5_000];
}

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
---
apiVersion: v1
kind: Service
metadata: { name: bench-web, namespace: default }
spec:
  selector: { app: bench-web }
  ports: [{ port: 80, targetPort: 8080 }]
`;

/** CPU seconds of a process tree from /proc (the simulators run in their own processes). */
function treeCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  let own = 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    own = (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {}
  const children = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map(Number);
  return own + children.reduce((s, c) => s + treeCpuSeconds(c), 0);
}

interface Phase {
  wallS: number;
  cpuS: number;
  simCpuS: number;
  peakRssMb: number;
}

/** Runs one phase, sampling this process's RSS every 100 ms. */
async function measure<T>(sims: ChildProcess[], fn: () => Promise<T>): Promise<{ phase: Phase; value: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const simsBefore = sims.reduce((s, c) => s + treeCpuSeconds(c.pid), 0);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await fn();
    const c1 = process.cpuUsage(c0);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      value,
      phase: {
        wallS: (performance.now() - t0) / 1000,
        cpuS: (c1.user + c1.system) / 1e6,
        simCpuS: sims.reduce((s, c) => s + treeCpuSeconds(c.pid), 0) - simsBefore,
        peakRssMb: mb(peak),
      },
    };
  } finally {
    clearInterval(timer);
  }
}

function recordPhase(n: number, label: string, p: Phase, extra = ""): void {
  record(
    "deploy",
    `${n}: ${label}`,
    `${p.wallS.toFixed(1)} s wall, ${p.cpuS.toFixed(1)} CPU-s (+ sims ${p.simCpuS.toFixed(1)}), peak RSS ${p.peakRssMb.toFixed(0)} MB${extra}`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A phase that has not finished by then is a failed run, not a number. */
const PHASE_DEADLINE_MS = 8 * 60_000;

function checkDeadline(started: number, what: string): void {
  if (Date.now() - started > PHASE_DEADLINE_MS)
    throw new Error(`${what} not done after ${PHASE_DEADLINE_MS / 60_000} min`);
}

async function untilPreviewDone(previewId: string): Promise<Record<string, number>> {
  const { db } = await import("@/lib/db/client");
  const started = Date.now();
  for (;;) {
    checkDeadline(started, "preview");
    const pending = await db().previewTarget.count({ where: { previewId, outcome: "pending" } });
    if (pending === 0) {
      const rows = await db().previewTarget.groupBy({
        by: ["outcome"],
        where: { previewId },
        _count: { _all: true },
      });
      return Object.fromEntries(rows.map((r) => [r.outcome, r._count._all]));
    }
    await sleep(200);
  }
}

async function untilRolloutDone(rolloutId: string): Promise<{ appliedAfterS: number }> {
  const { db } = await import("@/lib/db/client");
  const started = Date.now();
  for (;;) {
    const r = await db().rollout.findUniqueOrThrow({ where: { id: rolloutId } });
    checkDeadline(started, `rollout (${r.stateReason})`);
    if (r.state !== "running") {
      if (r.state !== "completed") throw new Error(`rollout ${r.state}: ${r.stateReason}`);
      const last = await db().rolloutTarget.aggregate({ where: { rolloutId }, _max: { appliedAt: true } });
      return { appliedAfterS: ((last._max.appliedAt?.getTime() ?? Date.now()) - started) / 1000 };
    }
    await sleep(200);
  }
}

function kubeconfigsOf(dirs: string[]): string[] {
  return dirs.flatMap((d) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) =>
        fs.readdirSync(path.join(d, e.name)).map((f) => fs.readFileSync(path.join(d, e.name, f), "utf8")),
      ),
  );
}

/** The naive script: for each kubeconfig, a client and three server-side applies (dry run or real). */
async function naiveLoop(kubeconfigs: string[], tag: string, dryRun: boolean): Promise<number> {
  const { KubeConfig, KubernetesObjectApi } = await import("@kubernetes/client-node");
  const { parse } = await import("yaml");
  const objects = manifest(tag)
    .split("---")
    .map((doc) => parse(doc));
  let failed = 0;
  for (const text of kubeconfigs) {
    const kc = new KubeConfig();
    kc.loadFromString(text);
    const api = KubernetesObjectApi.makeApiClient(kc);
    for (const o of objects) {
      try {
        await api.patch(
          o,
          undefined,
          dryRun ? "All" : undefined,
          "naive",
          true,
          "application/apply-patch+yaml",
        );
      } catch {
        failed++;
      }
    }
  }
  return failed;
}

const admin = {
  kind: "session",
  userId: "bench",
  username: "bench",
  role: "admin",
  credentialId: "b",
} as const;

async function benchSize(n: number, measurePages: boolean): Promise<void> {
  const per = splitAcrossProcesses(n, PER_PROCESS);
  process.stdout.write(
    `\n▶ deploy: 3-object manifest to ${n} stores (${per.length} simulator process(es)), Outpost vs naive sequential\n`,
  );
  const dataDir = await freshDataDir(`outpost-bench-deploy-${n}-`);
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_DEPLOY_TICK_MS = "200";
  process.env.OUTPOST_DEPLOY_CHECK_MS = "500";
  process.env.OUTPOST_DEPLOY_CONCURRENCY = String(CONCURRENCY);
  process.env.OUTPOST_DEPLOY_DRIFT_MINUTES = "0";
  // One sweep, then no collector: this measures the deploy path alone (the collector's own cost is the
  // `fleet` section). With a 1 h interval the sweep keeps every store fresh for the whole run; at the
  // default 15 s they would turn stale mid-rollout and rightly wait for their site.
  process.env.OUTPOST_POLL_INTERVAL_SECONDS = "3600";
  const { resetEnvForTests } = await import("@/lib/env");
  resetEnvForTests();
  await withFleet(dataDir, per, async (dirs, sims) => {
    const imported = await importDirs(dirs);
    const { Collector } = await import("@/lib/collector/collector");
    const collector = new Collector({
      policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
      concurrency: 64,
    });
    await collector.reload();
    // Targets must be fresh to be applied; this sweep also warms the simulators' clusters for both ways.
    await collector.sweepOnce();
    await collector.stop();
    const { createDeployment } = await import("@/lib/deploy/deployments");
    const { createPreview } = await import("@/lib/deploy/previews");
    const { startRollout } = await import("@/lib/deploy/rollouts");
    const { strategyWith } = await import("@/lib/deploy/strategy");
    const { deployService } = await import("@/lib/deploy/service");
    const { instanceId } = await import("@/lib/work/instance");
    const stop = new AbortController();
    const service = await deployService.start({
      instanceId: instanceId(),
      role: "worker",
      signal: stop.signal,
    });
    let rolloutId = "";
    try {
      await createDeployment(
        { name: "bench-web", description: "", manifest: manifest("1.27"), message: "" },
        admin,
      );
      const targets = { kinds: ["store"] };
      const pre = await measure(sims, async () => {
        const p = await createPreview("bench-web", { targets, force: false }, admin);
        return untilPreviewDone(p.id);
      });
      recordPhase(
        imported,
        "Outpost preview (dry-run SSA on every store)",
        pre.phase,
        `; ${Object.entries(pre.value)
          .map(([k, v]) => `${v} ${k}`)
          .join(", ")}`,
      );
      const strategy = strategyWith({
        canary: { count: 0 },
        waves: { by: "all" },
        soakSeconds: 0,
        maxInFlight: CONCURRENCY * 2,
      });
      const apply = await measure(sims, async () => {
        const r = await startRollout("bench-web", { targets, strategy, force: false }, admin);
        rolloutId = r.id;
        return untilRolloutDone(r.id);
      });
      recordPhase(
        imported,
        "Outpost rollout: applied + Deployment available",
        apply.phase,
        `; last apply after ${apply.value.appliedAfterS.toFixed(1)} s`,
      );
      record(
        "deploy",
        `${imported}:   clusters per second (rollout to ready)`,
        imported / apply.phase.wallS,
        "/s",
      );
    } finally {
      stop.abort();
      await service.stop();
    }

    const all = kubeconfigsOf(dirs);
    const kubeconfigs = all.slice(0, NAIVE_MAX);
    const projected = (p: Phase) =>
      kubeconfigs.length < all.length
        ? `; measured on ${kubeconfigs.length}, ${all.length} projected: ${((p.wallS * all.length) / kubeconfigs.length).toFixed(0)} s`
        : "";
    const naivePre = await measure(sims, () => naiveLoop(kubeconfigs, "1.28", true));
    recordPhase(
      kubeconfigs.length,
      "naive: dry-run SSA, one store after another",
      naivePre.phase,
      `; ${naivePre.value} failed requests${projected(naivePre.phase)}`,
    );
    const naiveApply = await measure(sims, () => naiveLoop(kubeconfigs, "1.28", false));
    recordPhase(
      kubeconfigs.length,
      "naive: SSA apply, one after another (no readiness wait)",
      naiveApply.phase,
      `; ${naiveApply.value} failed requests${projected(naiveApply.phase)}`,
    );
    if (measurePages && rolloutId) await benchPages(dataDir, rolloutId, imported);
  });
}

/** The deployment's pages and APIs with `targets` targets, from the production server (its own process). */
async function benchPages(dataDir: string, rolloutId: string, targets: number): Promise<void> {
  ensureBuild();
  const web = await startBenchServer(dataDir, "deploy-pages", { OUTPOST_COLLECTOR: "off" });
  try {
    const { base, cookie } = web;
    const timed = async (label: string, url: string) => {
      const out: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 23; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        bytes = (await res.arrayBuffer()).byteLength;
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        // The first three warm the route (compilation caches, connection pool).
        if (i >= 3) out.push(performance.now() - t);
      }
      record(
        "deploy",
        `${targets} targets: ${label} (p50 / p95)`,
        `${percentile(out, 50).toFixed(0)} / ${percentile(out, 95).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`,
      );
    };
    await timed("GET /api/deployments/bench-web", "/api/deployments/bench-web");
    await timed("GET /api/rollouts/{id} (waves, counts)", `/api/rollouts/${rolloutId}`);
    await timed("GET /api/rollouts/{id}/targets (first page)", `/api/rollouts/${rolloutId}/targets`);
    await timed(
      "same, filtered by state and text",
      `/api/rollouts/${rolloutId}/targets?state=ready&q=${encodeURIComponent("p0-store-b")}`,
    );
    await timed("SSR /deployments/bench-web", "/deployments/bench-web");
    await timed("SSR of the rollout page", `/deployments/bench-web/rollouts/${rolloutId}`);
    // The naive detail: every target row in one answer (what an unpaged table would fetch).
    const { db } = await import("@/lib/db/client");
    const naive: number[] = [];
    let naiveBytes = 0;
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const rows = await db().rolloutTarget.findMany({ where: { rolloutId }, orderBy: { ord: "asc" } });
      naiveBytes = JSON.stringify(rows).length;
      naive.push(performance.now() - t);
    }
    record(
      "deploy",
      `${targets} targets: naive, every target in one answer (DB + JSON only)`,
      `${percentile(naive, 50).toFixed(0)} ms, ${(naiveBytes / 1024).toFixed(0)} KB`,
    );
  } finally {
    await stopBenchServer(web);
  }
}

export const deploySection: BenchSection = {
  name: "deploy",
  summary:
    "preflight + apply of a 3-object manifest to 1,000 and 5,000 stores vs a naive loop; detail page at the largest",
  async run() {
    const all = sizes();
    const largest = Math.max(...all);
    for (const n of all) await benchSize(n, n === largest);
  },
};
