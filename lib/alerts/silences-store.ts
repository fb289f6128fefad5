import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { type Matcher, type SilenceInput, silenceInputSchema } from "./silences";

// Silences in the database; creating and expiring them is audited by the routes.

export interface SilenceView {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
  createdAt: string;
  endedBy: string | null;
  isActive: boolean;
}

type Row = {
  id: string;
  matchers: string;
  startsAt: Date;
  endsAt: Date;
  comment: string;
  createdByName: string;
  createdAt: Date;
  endedByName: string | null;
};

function toView(r: Row, now: number): SilenceView {
  return {
    id: r.id,
    matchers: JSON.parse(r.matchers) as Matcher[],
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    comment: r.comment,
    createdBy: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    endedBy: r.endedByName,
    isActive: r.startsAt.getTime() <= now && now < r.endsAt.getTime(),
  };
}

/** Active and planned silences, then the most recently expired ones. */
export async function listSilences(now = Date.now()): Promise<SilenceView[]> {
  const [open, expired] = await Promise.all([
    db().alertSilence.findMany({ where: { endsAt: { gt: new Date(now) } }, orderBy: { endsAt: "asc" } }),
    db().alertSilence.findMany({
      where: { endsAt: { lte: new Date(now) } },
      orderBy: { endsAt: "desc" },
      take: 20,
    }),
  ]);
  return [...open, ...expired].map((r) => toView(r, now));
}

export async function createSilence(
  raw: SilenceInput,
  actor: { userId: string; username: string },
  now = Date.now(),
): Promise<SilenceView> {
  const input = silenceInputSchema.parse(raw);
  const startsAt = input.startsAt ? Date.parse(input.startsAt) : now;
  const endsAt = input.endsAt ? Date.parse(input.endsAt) : startsAt + (input.durationMinutes ?? 0) * 60_000;
  if (endsAt <= now)
    throw new AppError("validation_failed", "The silence would already be over", {
      issues: [{ path: "endsAt", message: "must be in the future" }],
    });
  const row = await db().alertSilence.create({
    data: {
      matchers: JSON.stringify(input.matchers),
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      comment: input.comment,
      createdById: actor.userId,
      createdByName: actor.username,
    },
  });
  return toView(row, now);
}

/** Expires a silence now (kept in the list as expired). */
export async function expireSilence(
  id: string,
  actor: { username: string },
  now = Date.now(),
): Promise<SilenceView> {
  const row = await db().alertSilence.findUnique({ where: { id } });
  if (!row) throw new AppError("not_found", "Silence not found");
  if (row.endsAt.getTime() <= now) throw new AppError("conflict", "This silence has already expired");
  const updated = await db().alertSilence.update({
    where: { id },
    data: { endsAt: new Date(Math.max(now, row.startsAt.getTime())), endedByName: actor.username },
  });
  return toView(updated, now);
}
