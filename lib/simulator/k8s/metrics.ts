// metrics.k8s.io: node and pod usage computed from the clock, never stored.
import { notFound } from "./errors";
import { type ApiContext, type Route, selectorsOf } from "./request";
import { matchesWatcher } from "./store";
import { isoTime, type JsonRecord, type K8sObject } from "./types";
import { isPodReady, NODES, PODS } from "./workloads";

function wave(seed: number, now: number, periodMs: number): number {
  return 0.5 + 0.5 * Math.sin((now / periodMs + (seed % 1000) / 1000) * 2 * Math.PI);
}

export function serveMetrics(ctx: ApiContext, route: Route): void {
  const { runtime } = ctx;
  const now = runtime.now();
  const timestamp = isoTime(now);
  if (route.def.kind === "NodeMetrics") {
    const nodes = runtime.store
      .list(NODES)
      .filter((n) => !runtime.nodeDownSince.has(n.metadata.name))
      .map((n) => {
        const spec = runtime.spec.nodes.find((s) => s.name === n.metadata.name);
        const seed = spec?.seed ?? 1;
        const cores = spec?.cpuCores ?? 2;
        const memMi = spec?.memoryMi ?? 2048;
        return {
          kind: "NodeMetrics",
          apiVersion: "metrics.k8s.io/v1beta1",
          metadata: { name: n.metadata.name, creationTimestamp: timestamp, labels: n.metadata.labels },
          timestamp,
          window: "10.066s",
          usage: {
            cpu: `${Math.round(cores * 1000 * (0.08 + 0.35 * wave(seed, now, 600_000)))}m`,
            memory: `${Math.round(memMi * (0.3 + 0.3 * wave(seed * 7, now, 1_800_000)))}Mi`,
          },
        };
      });
    respondMetrics(ctx, route, nodes);
    return;
  }
  const pods = runtime.store
    .list(PODS, route.namespace)
    .filter(isPodReady)
    .map((p) => {
      const containers = ((p.spec as JsonRecord).containers ?? []) as JsonRecord[];
      const seed = [...(p.metadata.uid ?? p.metadata.name)].reduce(
        (h, c) => (h * 31 + c.charCodeAt(0)) >>> 0,
        7,
      );
      return {
        kind: "PodMetrics",
        apiVersion: "metrics.k8s.io/v1beta1",
        metadata: {
          name: p.metadata.name,
          namespace: p.metadata.namespace,
          creationTimestamp: timestamp,
          labels: p.metadata.labels,
        },
        timestamp,
        window: "10.066s",
        containers: containers.map((c, i) => ({
          name: c.name,
          usage: {
            cpu: `${1 + Math.round(80 * wave(seed + i, now, 300_000))}m`,
            memory: `${8 + Math.round(120 * wave(seed * 3 + i, now, 900_000))}Mi`,
          },
        })),
      };
    });
  respondMetrics(ctx, route, pods);
}

function respondMetrics(
  ctx: ApiContext,
  route: Route,
  items: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }[],
): void {
  if (route.name) {
    const found = items.find((i) => i.metadata.name === route.name);
    if (!found) throw notFound(route.def, route.name);
    ctx.respond.json(200, found);
    return;
  }
  const { labels } = selectorsOf(ctx.url, route.def);
  const filtered = items.filter((i) => matchesWatcher({ labels, fields: [] }, i as unknown as K8sObject));
  ctx.respond.json(200, {
    kind: `${route.def.kind}List`,
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: {},
    items: filtered,
  });
}
