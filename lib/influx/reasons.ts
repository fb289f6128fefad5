// Why telemetry is unavailable, in words an operator reads. No server imports:
// the browser shows these too.

export const UNAVAILABLE_REASONS = [
  "not-configured",
  "policy",
  "unreachable",
  "timeout",
  "auth",
  "bad-query",
  "database-missing",
  "server-error",
  "bad-response",
  // The stored answer is too old and nothing newer arrived (the telemetry tick is not running).
  "stale",
] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

export const REASON_TEXT: Readonly<Record<UnavailableReason, string>> = {
  "not-configured": "no data source configured",
  policy: "address refused by the URL policy",
  unreachable: "InfluxDB unreachable",
  timeout: "InfluxDB did not answer in time",
  auth: "credentials rejected",
  "bad-query": "query rejected",
  "database-missing": "database not found",
  "server-error": "InfluxDB error",
  "bad-response": "unexpected answer",
  stale: "telemetry not updated",
};
