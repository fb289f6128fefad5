import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { rawRequest } from "../lib/simulator/testing";

/**
 * Reads live objects straight from a simulated cluster's Kubernetes API (the kubeconfigs the
 * simulator wrote at setup), so a test can check what a rollout really left on the cluster
 * rather than what Outpost says it did.
 */
export class SimKube {
  constructor(private readonly fleetDir: string) {}

  private config(site: string, cluster: string): k8s.KubeConfig {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(path.join(this.fleetDir, site, `${cluster}.yaml`));
    return kc;
  }

  /** The object at `apiPath` (e.g. /api/v1/namespaces/default/configmaps/x), or null when it is absent. */
  async get<T = Record<string, unknown>>(site: string, cluster: string, apiPath: string): Promise<T | null> {
    const res = await rawRequest(this.config(site, cluster), apiPath);
    if (res.status === 404) return null;
    if (res.status !== 200)
      throw new Error(`GET ${apiPath} on ${site}/${cluster}: ${res.status} ${res.text}`);
    return res.json as T;
  }

  /** The first container image of a Deployment's pod template, or null when the Deployment is absent. */
  async deploymentImage(
    site: string,
    cluster: string,
    namespace: string,
    name: string,
  ): Promise<string | null> {
    const d = await this.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      site,
      cluster,
      `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
    );
    return d?.spec.template.spec.containers[0]?.image ?? null;
  }

  /** The pods matching a label selector in a namespace. */
  async pods(site: string, cluster: string, namespace: string, labelSelector: string): Promise<LivePod[]> {
    const list = await this.get<{ items: LivePod[] }>(
      site,
      cluster,
      `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(labelSelector)}`,
    );
    return list?.items ?? [];
  }
}

export interface LivePod {
  metadata: { name: string; annotations?: Record<string, string> };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

export const isPodReady = (p: LivePod): boolean =>
  p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
