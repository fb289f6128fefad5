import { Badge } from "@/components/ui/badge";
import { CertExpiry } from "@/components/ui/cert-expiry";
import { Notice } from "@/components/ui/notice";
import type { ApiIssue } from "@/lib/queries/api";
import type { ConnectionCheckJson } from "@/lib/queries/clusters";

const ERROR_CLASS_LABELS: Record<string, string> = {
  refused: "Connection refused",
  timeout: "Timed out",
  tls: "TLS problem",
  auth: "Credentials rejected",
  http: "Unexpected HTTP answer",
  dns: "Name does not resolve",
  reset: "Connection reset",
  policy: "Address not allowed",
  unknown: "Network error",
};

const ERROR_CLASS_HINTS: Record<string, string> = {
  refused:
    "Nothing listens at this address and port. Is the site offline, or is the API server on another port (k3s uses 6443)?",
  timeout:
    "No answer in time. The site may be offline or behind a firewall; vehicles and remote sites often are.",
  tls: "The server's certificate does not match the kubeconfig's certificate-authority-data or its address.",
  auth: "The API server answered but refused the credentials. The client certificate may have expired or been rotated.",
  dns: "Outpost's DNS cannot resolve the host name. Try the IP address.",
  policy:
    "Outpost's network policy refuses this address (e.g. a private or loopback range). An admin can allow it in the server configuration.",
};

export interface Rejection {
  title: string;
  message: string;
  issues: ApiIssue[];
}

/** Renderer: what a kubeconfig test found. */
export function ConnectionResult({ check }: { check: ConnectionCheckJson }) {
  const { facts, connection } = check;
  const factEntries = (
    <>
      <dt>API server</dt>
      <dd className="mono">{facts.server}</dd>
      <dt>Context</dt>
      <dd className="mono">{facts.contextName}</dd>
      <dt>Authentication</dt>
      <dd>{facts.authKind === "client-cert" ? "Client certificate" : "Bearer token"}</dd>
      {facts.authKind === "client-cert" ? (
        <>
          <dt>Client certificate</dt>
          <dd data-testid="client-cert-expiry">
            <CertExpiry iso={facts.clientCertNotAfter} />
          </dd>
        </>
      ) : null}
      {facts.clientCertSubject ? (
        <>
          <dt>Certificate subject</dt>
          <dd className="mono">{facts.clientCertSubject}</dd>
        </>
      ) : null}
      {facts.tlsServerName ? (
        <>
          <dt>TLS server name</dt>
          <dd className="mono">{facts.tlsServerName}</dd>
        </>
      ) : null}
    </>
  );

  if (check.needsServerAddress) {
    return (
      <Notice
        tone="warn"
        title="Enter the address Outpost can reach"
        role="status"
        testId="connection-result"
      >
        <p>
          This kubeconfig points at <code>{facts.server}</code>: the node&apos;s own loopback address, which
          k3s writes into <code>k3s.yaml</code>. Nothing was contacted yet.
        </p>
      </Notice>
    );
  }
  if (!connection) return null;
  if (connection.isOk) {
    return (
      <section
        className="notice notice--ok result-panel"
        aria-labelledby="result-ok-title"
        data-testid="connection-result"
      >
        <p className="notice-title" id="result-ok-title" role="status">
          <span aria-hidden="true">✔</span> Connected
        </p>
        <dl className="facts">
          <dt>{connection.isK3s ? "k3s version" : "Kubernetes version"}</dt>
          <dd className="big-number mono" data-testid="k3s-version">
            {connection.gitVersion}
          </dd>
          <dt>Platform</dt>
          <dd className="mono">{connection.platform ?? "unknown"}</dd>
          <dt>Latency</dt>
          <dd className="big-number" data-testid="latency">
            {connection.latencyMs} ms
          </dd>
          <dt>Server certificate</dt>
          <dd>
            <CertExpiry iso={connection.serverCertNotAfter} label="expires" />
          </dd>
          {factEntries}
        </dl>
        {!connection.isK3s ? (
          <p style={{ marginTop: "0.75rem" }}>
            <Badge tone="warn">not k3s</Badge> This API server does not report a k3s version; Outpost works
            best with k3s.
          </p>
        ) : null}
      </section>
    );
  }
  return (
    <section
      className="notice notice--danger result-panel"
      aria-labelledby="result-fail-title"
      data-testid="connection-result"
    >
      <p className="notice-title" id="result-fail-title" role="alert">
        <span aria-hidden="true">✖</span> Connection failed:{" "}
        {ERROR_CLASS_LABELS[connection.errorClass] ?? connection.errorClass}
      </p>
      <p data-testid="connection-error">
        <code>{connection.errorClass}</code> {connection.message}
      </p>
      {ERROR_CLASS_HINTS[connection.errorClass] ? <p>{ERROR_CLASS_HINTS[connection.errorClass]}</p> : null}
      <p>
        If the site is simply offline right now (a vehicle out of coverage, a store link down), you can still
        save the cluster; Outpost will reach it when it comes back.
      </p>
      <dl className="facts">{factEntries}</dl>
    </section>
  );
}

export function RejectionNotice({ rejection }: { rejection: Rejection }) {
  return (
    <Notice tone="danger" title={rejection.title} role="alert" testId="kubeconfig-rejected">
      <p>{rejection.message}</p>
      {rejection.issues.length > 0 ? (
        <ul>
          {rejection.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              {i.path ? (
                <>
                  <code>{i.path}</code>:{" "}
                </>
              ) : null}
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
