import { stringify } from "yaml";
import { createCa, generateKeyPair, issueCert } from "@/lib/simulator/pki";

// Kubeconfigs shaped like the ones users paste, with real certificates, for
// the validation tests. `extraUser`/`extraCluster` add the fields under test.
export function k3sStyleKubeconfig(
  opts: {
    server?: string;
    extraUser?: Record<string, unknown>;
    extraCluster?: Record<string, unknown>;
    daysValid?: number;
    token?: string;
  } = {},
): string {
  const now = new Date();
  const ca = createCa("k3s-client-ca", now);
  const client = issueCert(
    {
      commonName: "system:admin",
      organization: "system:masters",
      usage: "client",
      notBefore: now,
      notAfter: new Date(now.getTime() + (opts.daysValid ?? 365) * 86_400_000),
    },
    generateKeyPair(),
    ca,
  );
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const user = opts.token
    ? { token: opts.token, ...opts.extraUser }
    : { "client-certificate-data": b64(client.cert), "client-key-data": b64(client.key), ...opts.extraUser };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "default",
        cluster: {
          "certificate-authority-data": b64(ca.cert),
          server: opts.server ?? "https://127.0.0.1:6443",
          ...opts.extraCluster,
        },
      },
    ],
    contexts: [{ name: "default", context: { cluster: "default", user: "default" } }],
    "current-context": "default",
    users: [{ name: "default", user }],
  });
}
