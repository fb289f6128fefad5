// Why a cluster could not be reached, in the words an operator needs. The
// collector and the connection test share it, so a site page and the
// registration form explain the same failure the same way.

export type ReachErrorClass =
  | "refused"
  | "timeout"
  | "tls"
  | "auth"
  | "http"
  | "dns"
  | "reset"
  | "policy"
  | "unknown";

export interface ReachError {
  errorClass: ReachErrorClass;
  message: string;
  httpStatus?: number;
}

const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_SSL_|EPROTO)/;

export function classifyNetworkError(err: unknown): ReachError {
  const e = err as { code?: string; message?: string; name?: string };
  const code = e?.code ?? "";
  const detail = e?.message ?? String(err);
  if (code === "ECONNREFUSED") return { errorClass: "refused", message: "connection refused" };
  // Our own deadlines say what timed out: the connection, or one request on a connected link.
  if (code === "OUTPOST_CONNECT_TIMEOUT")
    return { errorClass: "timeout", message: `connection timed out (no TLS session within ${seconds(err)})` };
  if (code === "OUTPOST_RESPONSE_TIMEOUT") {
    const path = (err as { path?: string }).path ?? "a request";
    return { errorClass: "timeout", message: `no answer to ${path} within ${seconds(err)}` };
  }
  if (
    code === "ETIMEDOUT" ||
    code === "ESOCKETTIMEDOUT" ||
    code === "UND_ERR_CONNECT_TIMEOUT" ||
    e?.name === "TimeoutError" ||
    code === "OUTPOST_TIMEOUT"
  ) {
    return { errorClass: "timeout", message: "connection timed out" };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { errorClass: "dns", message: "host name does not resolve" };
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED")
    return { errorClass: "reset", message: "connection reset" };
  if (code === "CERT_HAS_EXPIRED")
    return { errorClass: "tls", message: "the server's TLS certificate has expired" };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return { errorClass: "tls", message: "the server's TLS certificate does not match its address" };
  }
  if (TLS_CODES.test(code)) return { errorClass: "tls", message: `TLS verification failed (${code})` };
  if (/certificate|tls|ssl/i.test(detail)) return { errorClass: "tls", message: "TLS handshake failed" };
  return { errorClass: "unknown", message: code ? `network error (${code})` : "network error" };
}

function seconds(err: unknown): string {
  const ms = (err as { timeoutMs?: number }).timeoutMs;
  return typeof ms === "number" ? `${Math.round(ms / 100) / 10} s` : "the deadline";
}

export function classifyHttpStatus(status: number): ReachError {
  if (status === 401)
    return { errorClass: "auth", message: "credentials rejected (401)", httpStatus: status };
  if (status === 403) return { errorClass: "auth", message: "access forbidden (403)", httpStatus: status };
  return { errorClass: "http", message: `API server answered HTTP ${status}`, httpStatus: status };
}
