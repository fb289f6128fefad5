// Client certificate expiry. k3s client certs last 365 days and renew only on a
// server restart near expiry, so a kubeconfig copied into Outpost silently
// stops working a year later unless someone is warned in time.
import { formatDuration, toIso, toMs } from "./format";
import { CERT_CRITICAL_MS, CERT_WARN_MS, type CertHealth } from "./model";

const DAY_MS = 86_400_000;

// Token-authenticated clusters have no client certificate; share one answer for all of them.
const NO_CERT: CertHealth = Object.freeze({ state: "none", remainingMs: null, since: null, sentence: null });

export function certHealth(certNotAfter: string | null, now: number): CertHealth {
  const notAfter = toMs(certNotAfter);
  if (notAfter === null) return NO_CERT;
  const remainingMs = notAfter - now;
  if (remainingMs <= 0) {
    return {
      state: "expired",
      remainingMs,
      since: toIso(notAfter),
      sentence: `Client certificate expired ${spanText(-remainingMs)} ago`,
    };
  }
  if (remainingMs <= CERT_CRITICAL_MS) {
    return {
      state: "critical",
      remainingMs,
      since: toIso(notAfter - CERT_CRITICAL_MS),
      sentence: `Client certificate expires in ${spanText(remainingMs)}`,
    };
  }
  if (remainingMs <= CERT_WARN_MS) {
    return {
      state: "warning",
      remainingMs,
      since: toIso(notAfter - CERT_WARN_MS),
      sentence: `Client certificate expires in ${spanText(remainingMs)}`,
    };
  }
  return { state: "ok", remainingMs, since: null, sentence: null };
}

/** Whole days read better for certificates ("9 days"); below a day the hours matter. */
export function spanText(ms: number): string {
  if (ms < DAY_MS) return formatDuration(ms);
  const days = Math.floor(ms / DAY_MS);
  return days === 1 ? "1 day" : `${days} days`;
}
