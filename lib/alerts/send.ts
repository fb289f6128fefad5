import "server-only";
import http from "node:http";
import https from "node:https";
import { isAppError } from "@/lib/errors";
import { webhookUrlPolicy } from "@/lib/net/policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import type { ContactPointKind } from "./contact-point-schemas";
import {
  IDEMPOTENCY_HEADER,
  type Notification,
  SIGNATURE_HEADER,
  sign,
  TIMESTAMP_HEADER,
  toSlack,
} from "./payload";

// One signed POST to a contact point, to the address the URL policy checked
// (no DNS rebinding between check and connect), with a deadline over the
// whole exchange. Answers what happened; never throws.

export const SEND_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export interface SendOutcome {
  isOk: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** why it failed (refused, timeout, HTTP 500 …); null when delivered */
  error: string | null;
  /** worth trying again (network, timeout, 5xx, 429); a 4xx is the receiver refusing the message */
  isRetryable: boolean;
}

export function bodyFor(kind: ContactPointKind, n: Notification): string {
  return JSON.stringify(kind === "slack" ? toSlack(n) : n);
}

export async function sendNotification(
  target: { url: string; kind: ContactPointKind; secret: string },
  n: Notification,
  opts: { timeoutMs?: number; nowMs?: number } = {},
): Promise<SendOutcome> {
  const started = Date.now();
  const done = (o: Omit<SendOutcome, "latencyMs">): SendOutcome => ({
    ...o,
    latencyMs: Date.now() - started,
  });
  let url: URL;
  let addresses: string[];
  try {
    ({ url, addresses } = await checkUrl(target.url, webhookUrlPolicy(), { field: "url" }));
  } catch (err) {
    return done({
      isOk: false,
      statusCode: null,
      error: isAppError(err) ? `refused by the URL policy: ${err.message}` : "URL check failed",
      isRetryable: false,
    });
  }
  const body = bodyFor(target.kind, n);
  const timestamp = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const headers: http.OutgoingHttpHeaders = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "user-agent": "Outpost-Alerts/1",
    [IDEMPOTENCY_HEADER]: n.idempotencyKey,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: sign(target.secret, body, timestamp),
  };
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  return new Promise((resolve) => {
    let isDone = false;
    const finish = (o: Omit<SendOutcome, "latencyMs">) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(deadline);
      resolve(done(o));
    };
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      { method: "POST", headers, lookup: pinnedLookup(addresses), agent: false },
      (res) => {
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) res.destroy();
        });
        const settle = () => {
          const code = res.statusCode ?? 0;
          const isOk = code >= 200 && code < 300;
          finish({
            isOk,
            statusCode: code,
            error: isOk ? null : `HTTP ${code}`,
            isRetryable: !isOk && (code >= 500 || code === 429 || code === 408),
          });
        };
        res.on("end", settle);
        res.on("close", settle);
        res.on("error", settle);
      },
    );
    const deadline = setTimeout(() => {
      request.destroy();
      finish({
        isOk: false,
        statusCode: null,
        error: `no answer within ${timeoutMs / 1000} s`,
        isRetryable: true,
      });
    }, timeoutMs);
    request.on("error", (err: NodeJS.ErrnoException) =>
      finish({
        isOk: false,
        statusCode: null,
        error:
          err.code === "ECONNREFUSED" ? "connection refused" : `network error (${err.code ?? err.message})`,
        isRetryable: true,
      }),
    );
    request.end(body);
  });
}
