import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { contactPointForDelivery } from "./contact-points";
import { buildNotification, ZERO_TIME } from "./payload";
import { type SendOutcome, sendNotification } from "./send";

// "Send test notification": a signed message of the real shape, sent now,
// logged like any delivery (one attempt, no retries) so the log shows it.

export async function sendTestNotification(
  contactPointId: string,
  externalUrl: string,
  actorName: string,
): Promise<{ deliveryId: string; outcome: SendOutcome }> {
  const cp = await contactPointForDelivery(contactPointId);
  if (!cp) throw new AppError("not_found", "Contact point not found");
  const id = `test-${randomUUID()}`;
  const now = new Date();
  const body = buildNotification({
    groupKey: "{}:{test}",
    receiver: cp.view.name,
    groupLabels: { alertname: "Outpost test notification" },
    externalURL: externalUrl,
    idempotencyKey: id,
    reason: "test",
    isTest: true,
    alerts: [
      {
        status: "firing",
        fingerprint: "0000000000000000",
        idempotencyKey: `${id}:1`,
        labels: { alertname: "Outpost test notification", severity: "warning" },
        annotations: { summary: `Test notification sent by ${actorName}`, description: "Nothing is wrong." },
        startsAt: now.toISOString(),
        endsAt: ZERO_TIME,
        generatorURL: `${externalUrl.replace(/\/$/, "")}/alerts`,
        value: null,
        unit: null,
        threshold: null,
        site: { id: "", slug: "", name: "Outpost", kind: "other" },
        cluster: null,
        node: null,
        severity: "warning",
        reportedLate: false,
        reportedLateMs: null,
        mutedBy: null,
      },
    ],
  });
  const outcome = await sendNotification({ url: cp.view.url, kind: cp.view.kind, secret: cp.secret }, body);
  await db().alertDelivery.create({
    data: {
      id,
      contactPointId,
      groupKey: body.groupKey,
      reason: "test",
      status: "firing",
      alertCount: 1,
      payload: JSON.stringify(body),
      state: outcome.isOk ? "delivered" : "failed",
      attempts: 1,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      deliveredAt: outcome.isOk ? new Date() : null,
      attemptLog: {
        create: [
          { attempt: 1, statusCode: outcome.statusCode, latencyMs: outcome.latencyMs, error: outcome.error },
        ],
      },
    },
  });
  return { deliveryId: id, outcome };
}

/** The demo sink keeps what it received and lists it at GET <its url>/messages. */
export async function demoSinkMessages(contactPointId: string): Promise<unknown> {
  const cp = await contactPointForDelivery(contactPointId);
  if (!cp) throw new AppError("not_found", "Contact point not found");
  if (!cp.view.isDemoSink) throw new AppError("not_found", "Only the demo's own sink lists what it received");
  const url = new URL(cp.view.url);
  url.pathname = `${url.pathname.replace(/\/[^/]*$/, "")}/messages`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await res.json();
  } catch (err) {
    throw new AppError(
      "upstream_timeout",
      `The demo sink did not answer: ${err instanceof Error ? err.message : "error"}`,
    );
  }
}
