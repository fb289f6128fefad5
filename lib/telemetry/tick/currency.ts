// Is a data source's stored telemetry current? Pure: the source's tick status,
// `now` and the tick interval in. An answer older than the deadline is never
// served as current: its readers say "unknown (InfluxDB not answering for N s)".
import { formatDuration } from "@/lib/health/format";
import { REASON_TEXT, UNAVAILABLE_REASONS, type UnavailableReason } from "@/lib/influx/reasons";
import type { SourceTickStatus } from "./types";

/** Like the collector's fresh limit: two ticks and a grace for one slow answer. */
export function telemetryCurrentMs(tickMs: number): number {
  return 2 * tickMs + 5_000;
}

export type SourceCurrency =
  | { isCurrent: true; sourceId: string; asOf: number; ageMs: number; queryMs: number; now: number }
  | {
      isCurrent: false;
      sourceId: string;
      reason: UnavailableReason;
      message: string;
      /** when the last answer that was used arrived; null if none yet */
      asOf: number | null;
      now: number;
    };

function asReason(value: string | null): UnavailableReason {
  return (UNAVAILABLE_REASONS as readonly string[]).includes(value ?? "")
    ? (value as UnavailableReason)
    : "server-error";
}

export function sourceCurrency(
  status: SourceTickStatus | null,
  now: number,
  tickMs: number,
  sourceId = status?.sourceId ?? "",
): SourceCurrency {
  const lastOk = status?.lastOkAt ?? null;
  if (lastOk !== null && now - lastOk <= telemetryCurrentMs(tickMs)) {
    return {
      isCurrent: true,
      sourceId,
      asOf: lastOk,
      ageMs: Math.max(0, now - lastOk),
      queryMs: status?.queryMs ?? 0,
      now,
    };
  }
  const lastError = status?.lastErrorAt ?? null;
  const isFailing = lastError !== null && (lastOk === null || lastError >= lastOk);
  if (!status || status.lastTickAt === null || (!isFailing && lastOk === null)) {
    return {
      isCurrent: false,
      sourceId,
      reason: "stale",
      message: "telemetry not read yet (the worker reads InfluxDB once per tick)",
      asOf: null,
      now,
    };
  }
  if (isFailing) {
    const reason = asReason(status.lastErrorReason);
    const detail = status.lastErrorMessage ?? REASON_TEXT[reason];
    const silent = reason === "timeout" || reason === "unreachable";
    const head = silent ? "InfluxDB not answering" : `InfluxDB failing (${REASON_TEXT[reason]})`;
    const span = lastOk === null ? "since the worker started" : `for ${formatDuration(now - lastOk)}`;
    return { isCurrent: false, sourceId, reason, message: `${head} ${span}: ${detail}`, asOf: lastOk, now };
  }
  // The last attempt went fine but long ago: the tick itself stopped, not InfluxDB.
  return {
    isCurrent: false,
    sourceId,
    reason: "stale",
    message: `telemetry not updated for ${formatDuration(now - (lastOk ?? now))} (telemetry tick not running)`,
    asOf: lastOk,
    now,
  };
}
