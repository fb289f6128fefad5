import "server-only";
import https from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { AppError } from "@/lib/errors";
import { clusterUrlPolicy } from "@/lib/net/policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import { classifyHttpStatus, classifyNetworkError, type ReachError } from "./error-class";

export const CONNECTION_TEST_TIMEOUT_MS = 8_000;

export interface VersionInfo {
  gitVersion: string;
  platform: string | null;
  isK3s: boolean;
  serverCertNotAfter: Date | null;
  latencyMs: number;
}

export type ConnectionResult = ({ isOk: true } & VersionInfo) | ({ isOk: false } & ReachError);

/**
 * GET /version with the stored credentials, against only the addresses the URL
 * policy accepted (a DNS answer that changes between check and connect cannot
 * sneak a metadata address in).
 */
export async function testConnection(
  kubeconfigYaml: string,
  timeoutMs = CONNECTION_TEST_TIMEOUT_MS,
): Promise<ConnectionResult> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AppError("kubeconfig_rejected", "the kubeconfig has no current cluster");
  // One deadline for the whole test (name resolution, connect, TLS, answer): the socket
  // timeout alone restarts with every byte a slow or silent server trickles out.
  const deadline = Date.now() + timeoutMs;
  const timedOut = (): ConnectionResult => ({
    isOk: false,
    ...classifyNetworkError(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" })),
  });
  let addresses: string[];
  try {
    let timer: NodeJS.Timeout | undefined;
    const checked = await Promise.race([
      checkUrl(cluster.server, clusterUrlPolicy(), { field: "server" }),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!checked) return timedOut();
    addresses = checked.addresses;
  } catch (err) {
    if (err instanceof AppError) return { isOk: false, errorClass: "policy", message: err.message };
    throw err;
  }
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(`${cluster.server.replace(/\/$/, "")}/version`);
  const pinned = pinnedLookup(addresses);
  const agent = opts.agent as https.Agent | undefined;
  const started = performance.now();
  try {
    return await new Promise<ConnectionResult>((resolve) => {
      const req = https.request(
        url,
        {
          ...opts,
          agent: false,
          method: "GET",
          servername: cluster.tlsServerName ?? undefined,
          lookup: pinned,
          headers: { ...(opts.headers ?? {}), accept: "application/json" },
          timeout: Math.max(1, deadline - Date.now()),
        },
        (res) => {
          const cert = (res.socket as import("node:tls").TLSSocket).getPeerCertificate?.();
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > 64 * 1024) req.destroy(new Error("response too large"));
            else chunks.push(c);
          });
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) return resolve({ isOk: false, ...classifyHttpStatus(status) });
            try {
              const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
                gitVersion?: string;
                platform?: string;
              };
              const gitVersion = body.gitVersion ?? "unknown";
              resolve({
                isOk: true,
                gitVersion,
                platform: body.platform ?? null,
                isK3s: /\+k3s\d*/.test(gitVersion),
                serverCertNotAfter: cert?.valid_to ? new Date(cert.valid_to) : null,
                latencyMs: Math.round(performance.now() - started),
              });
            } catch {
              resolve({
                isOk: false,
                errorClass: "http",
                message: "the server did not answer like a Kubernetes API (/version)",
              });
            }
          });
        },
      );
      const expire = () => {
        // Resolve first: once the answer has begun, destroying it need not emit an error.
        resolve(timedOut());
        req.destroy(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" }));
      };
      const timer = setTimeout(expire, Math.max(0, deadline - Date.now()));
      req.on("timeout", expire);
      req.on("error", (err) => resolve({ isOk: false, ...classifyNetworkError(err) }));
      req.on("close", () => clearTimeout(timer));
      req.end();
    });
  } finally {
    agent?.destroy();
  }
}
