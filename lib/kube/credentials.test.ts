import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { k3sStyleKubeconfig } from "@/lib/testing/kubeconfig-fixtures";
import { readCredentials } from "./credentials";
import { sanitizeKubeconfig } from "./kubeconfig";

// The collector reads stored (sanitized) kubeconfigs itself; what it reads must
// be what client-node would have applied to its HTTPS options.
async function clientNodeView(yaml: string) {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  const opts: import("node:https").RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  (opts.agent as import("node:https").Agent | undefined)?.destroy();
  return { server: kc.getCurrentCluster()?.server, opts };
}

describe("stored kubeconfig credentials", () => {
  it("reads server, CA, client certificate and key as client-node does", async () => {
    const { yaml } = sanitizeKubeconfig(
      k3sStyleKubeconfig({
        server: "https://10.1.2.3:6443",
        extraCluster: { "tls-server-name": "k3s.local" },
      }),
    );
    const ours = readCredentials(yaml);
    const theirs = await clientNodeView(yaml);
    expect(ours.server).toBe(theirs.server);
    expect(ours.tlsServerName).toBe("k3s.local");
    expect(ours.ca?.toString()).toBe(String(theirs.opts.ca));
    expect(ours.cert?.toString()).toBe(String(theirs.opts.cert));
    expect(ours.key?.toString()).toBe(String(theirs.opts.key));
    expect(ours.token).toBeNull();
  });

  it("reads a bearer token user", async () => {
    const { yaml } = sanitizeKubeconfig(k3sStyleKubeconfig({ token: "abc.def" }));
    const ours = readCredentials(yaml);
    const theirs = await clientNodeView(yaml);
    expect(`Bearer ${ours.token}`).toBe((theirs.opts.headers as Record<string, string>).Authorization);
    expect(ours.cert).toBeNull();
  });

  it("refuses a document without a current context or cluster", () => {
    expect(() => readCredentials("apiVersion: v1\nkind: Config\n")).toThrow(/no current context/);
    expect(() =>
      readCredentials(
        "current-context: a\ncontexts: [{name: a, context: {cluster: x, user: u}}]\nclusters: []\nusers: []\n",
      ),
    ).toThrow(/no current cluster/);
  });
});
