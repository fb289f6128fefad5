import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { type ClaimedJob, enqueue, JobLost } from "@/lib/work/jobs";
import type { JobContext } from "@/lib/work/runner";
import { type RetryPolicy, retryPolicy } from "./config";
import { contactPointForDelivery } from "./contact-points";
import { failpoint } from "./failpoints";
import type { Notification } from "./payload";
import { sendNotification } from "./send";

// Notification dispatch from the outbox: each "alert-delivery" job names one
// AlertDelivery row (written in the evaluator's transaction). The handler sends
// it signed with its idempotency key, records every attempt (status code,
// latency), and completes the job in the same transaction as "delivered". A
// refused, timed-out or 5xx attempt throws, so the runner retries with backoff;
// after OUTPOST_ALERTS_DELIVERY_MAX_AGE_HOURS (24 h) it gives up. kill -9 before
// the send: the claim expires and another worker sends it; after the send and
// before the commit: it is sent again with the same key and the receiver drops it.
// Paused past its claim before sending: the claim check refuses, nothing is sent.

export const DELIVERY_QUEUE = "alert-delivery";
/** Enough claims to cover 24 h of capped backoff; the age check ends it first. */
export const DELIVERY_MAX_ATTEMPTS = 1_000;

export interface DeliveryPayload {
  deliveryId: string;
}

class RetryableDeliveryError extends Error {}

/** Puts a delivery on the outbox, inside the transaction that decided it. */
export async function enqueueDelivery(tx: Tx, deliveryId: string): Promise<void> {
  await enqueue(tx, {
    queue: DELIVERY_QUEUE,
    key: deliveryId,
    payload: { deliveryId } satisfies DeliveryPayload,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
  });
}

export async function deliver(
  job: ClaimedJob<DeliveryPayload>,
  ctx: Pick<JobContext, "fenced" | "completeIn">,
  policy: RetryPolicy = retryPolicy(),
  now = Date.now(),
): Promise<{ state: string; statusCode: number | null }> {
  const delivery = await db().alertDelivery.findUnique({ where: { id: job.payload.deliveryId } });
  if (!delivery || delivery.state === "delivered" || delivery.state === "failed")
    return { state: delivery?.state ?? "missing", statusCode: delivery?.lastStatusCode ?? null };
  const cp = await contactPointForDelivery(delivery.contactPointId);
  if (!cp?.view.isEnabled) {
    await ctx.fenced(async (tx) => {
      await tx.alertDelivery.update({
        where: { id: delivery.id },
        data: { state: "failed", lastError: cp ? "contact point disabled" : "contact point removed" },
      });
      await ctx.completeIn(tx);
    });
    return { state: "failed", statusCode: null };
  }
  if (now - delivery.createdAt.getTime() > policy.maxAgeMs) {
    await ctx.fenced(async (tx) => {
      await tx.alertDelivery.update({
        where: { id: delivery.id },
        data: {
          state: "failed",
          lastError: `gave up after ${Math.round(policy.maxAgeMs / 3_600_000)} h of retries`,
        },
      });
      await ctx.completeIn(tx);
    });
    return { state: "failed", statusCode: null };
  }
  const body = JSON.parse(delivery.payload) as Notification;
  failpoint("alerts.deliver.before-send");
  // A worker paused past its claim (GC, SIGSTOP, a starved VM) must not send what its successor
  // owns now: the claim is checked just before the request leaves. What remains is the gap between
  // this check and the request itself, which the idempotency key covers at the receiver.
  try {
    await ctx.fenced(async () => undefined);
  } catch (err) {
    if (err instanceof JobLost)
      log.warn("alert delivery not sent: its claim was taken over", {
        delivery: delivery.id,
        epoch: job.epoch,
      });
    throw err;
  }
  const outcome = await sendNotification({ url: cp.view.url, kind: cp.view.kind, secret: cp.secret }, body);
  failpoint("alerts.deliver.after-send");
  const state = outcome.isOk ? "delivered" : outcome.isRetryable ? "retrying" : "failed";
  await ctx.fenced(async (tx) => {
    await tx.alertDeliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: job.attempt,
        statusCode: outcome.statusCode,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
      },
    });
    await tx.alertDelivery.update({
      where: { id: delivery.id },
      data: {
        state,
        attempts: { increment: 1 },
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        ...(outcome.isOk ? { deliveredAt: new Date() } : {}),
      },
    });
    if (state !== "retrying") await ctx.completeIn(tx);
  });
  if (state === "retrying") {
    log.info("alert delivery will be retried", {
      id: delivery.id,
      error: outcome.error,
      attempt: job.attempt,
    });
    throw new RetryableDeliveryError(outcome.error ?? "delivery failed");
  }
  return { state, statusCode: outcome.statusCode };
}
