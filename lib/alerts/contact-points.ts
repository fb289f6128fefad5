import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { webhookUrlPolicy } from "@/lib/net/policy";
import { checkUrl } from "@/lib/net/url-policy";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import {
  type ContactPointInput,
  type ContactPointKind,
  contactPointInputSchema,
  contactPointUpdateSchema,
} from "./contact-point-schemas";

// Contact points: where notifications go. The signing secret is generated
// here, stored encrypted, shown once (on create and on rotation).

export interface ContactPointView {
  id: string;
  name: string;
  kind: ContactPointKind;
  url: string;
  isEnabled: boolean;
  isDemoSink: boolean;
  createdAt: string;
  updatedAt: string;
}

type Row = {
  id: string;
  name: string;
  kind: string;
  url: string;
  isEnabled: boolean;
  isDemoSink: boolean;
  createdAt: Date;
  updatedAt: Date;
};

function toView(r: Row): ContactPointView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind === "slack" ? "slack" : "webhook",
    url: r.url,
    isEnabled: r.isEnabled,
    isDemoSink: r.isDemoSink,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

async function checkWebhookUrl(url: string): Promise<void> {
  await checkUrl(url, webhookUrlPolicy(), { field: "url" });
}

async function uniqueName(name: string, exceptId?: string): Promise<void> {
  const other = await db().alertContactPoint.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== exceptId)
    throw new AppError("conflict", `A contact point named "${name}" exists`, {
      issues: [{ path: "name", message: "already taken" }],
    });
}

export async function listContactPoints(): Promise<ContactPointView[]> {
  return (await db().alertContactPoint.findMany({ orderBy: { name: "asc" } })).map(toView);
}

export async function createContactPoint(
  raw: ContactPointInput,
  opts: { isDemoSink?: boolean; secret?: string } = {},
): Promise<{ contactPoint: ContactPointView; secret: string }> {
  const input = contactPointInputSchema.parse(raw);
  await checkWebhookUrl(input.url);
  await uniqueName(input.name);
  const secret = opts.secret ?? newSigningSecret();
  const row = await db().alertContactPoint.create({
    data: { ...input, secretEnc: encryptSecret(secret), isDemoSink: opts.isDemoSink ?? false },
  });
  return { contactPoint: toView(row), secret };
}

export async function updateContactPoint(
  id: string,
  raw: unknown,
): Promise<{ contactPoint: ContactPointView; secret: string | null }> {
  const input = contactPointUpdateSchema.parse(raw);
  const existing = await db().alertContactPoint.findUnique({ where: { id } });
  if (!existing) throw new AppError("not_found", "Contact point not found");
  if (input.url !== undefined) await checkWebhookUrl(input.url);
  if (input.name !== undefined) await uniqueName(input.name, id);
  const secret = input.rotateSecret ? newSigningSecret() : null;
  const row = await db().alertContactPoint.update({
    where: { id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.isEnabled !== undefined ? { isEnabled: input.isEnabled } : {}),
      ...(secret ? { secretEnc: encryptSecret(secret) } : {}),
    },
  });
  return { contactPoint: toView(row), secret };
}

export async function deleteContactPoint(id: string): Promise<void> {
  const { count } = await db().alertContactPoint.deleteMany({ where: { id } });
  if (count === 0) throw new AppError("not_found", "Contact point not found");
}

/** Server-side only: what the sender needs. */
export async function contactPointForDelivery(
  id: string,
): Promise<{ view: ContactPointView; secret: string } | null> {
  const row = await db().alertContactPoint.findUnique({ where: { id } });
  return row ? { view: toView(row), secret: decryptSecret(row.secretEnc) } : null;
}
