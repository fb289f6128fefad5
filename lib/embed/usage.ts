import "server-only";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import type { RefusalReason } from "./model";

// Bookkeeping of embed requests that must not cost a database write each:
// use counts and "last used" are summed in memory and written every few
// seconds; denials are audited per grant, reason and origin at most once a
// minute, with how many were folded in (a revoked chart on a busy portal
// must not write an audit row per viewer refresh).

export const USAGE_FLUSH_MS = 2_000;
export const DENIAL_AUDIT_EVERY_MS = 60_000;

const state = globalThis as unknown as {
  outpostEmbedUsage?: {
    pending: Map<string, { count: number; lastAt: number }>;
    timer: NodeJS.Timeout | null;
    denials: Map<string, { at: number; folded: number }>;
  };
};
state.outpostEmbedUsage ??= { pending: new Map(), timer: null, denials: new Map() };
const s = state.outpostEmbedUsage;

export function recordUse(grantId: string, now = Date.now()): void {
  const p = s.pending.get(grantId) ?? { count: 0, lastAt: 0 };
  p.count += 1;
  p.lastAt = Math.max(p.lastAt, now);
  s.pending.set(grantId, p);
  if (!s.timer) {
    s.timer = setTimeout(() => void flushUsage(), USAGE_FLUSH_MS);
    s.timer.unref?.();
  }
}

/** Writes the summed counts now (also what tests call instead of waiting). */
export async function flushUsage(): Promise<void> {
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  const batch = [...s.pending];
  s.pending.clear();
  for (const [id, p] of batch) {
    try {
      // updateMany: a grant deleted with its site in the meantime is simply gone.
      await db().embedGrant.updateMany({
        where: { id },
        data: { useCount: { increment: p.count }, lastUsedAt: new Date(p.lastAt) },
      });
    } catch (err) {
      log.warn("embed usage not recorded", {
        grantId: id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}

export interface Denial {
  grantId: string | null;
  reason: RefusalReason;
  message: string;
  surface: string;
  origin: string | null;
}

/** Audits a refused request (throttled); never sees the token. */
export async function recordDenial(d: Denial, now = Date.now()): Promise<void> {
  const key = `${d.grantId ?? "-"}|${d.reason}|${d.origin ?? "-"}`;
  const last = s.denials.get(key);
  if (last && now - last.at < DENIAL_AUDIT_EVERY_MS) {
    last.folded += 1;
    return;
  }
  if (s.denials.size > 10_000) s.denials.clear();
  s.denials.set(key, { at: now, folded: 0 });
  try {
    await audit({
      actor: null,
      action: "embed.denied",
      target: { type: "embed-grant", id: d.grantId },
      result: "denied",
      detail: {
        reason: d.reason,
        message: d.message,
        surface: d.surface,
        origin: d.origin,
        ...(last ? { similarSinceLast: last.folded } : {}),
      },
    });
  } catch (err) {
    log.warn("embed denial not audited", { error: err instanceof Error ? err.message : String(err) });
  }
}

export function resetUsageForTests(): void {
  s.pending.clear();
  s.denials.clear();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
}
