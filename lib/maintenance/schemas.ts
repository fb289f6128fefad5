import { z } from "zod";
import { MAINTENANCE_MAX_MS } from "./windows";

// Input contract for starting or planning a maintenance window, shared by the
// route and the site page form. No server imports here.

const MAX_MINUTES = MAINTENANCE_MAX_MS / 60_000;

/**
 * A time window given as an optional start plus an end time or a duration
 * (maintenance, silences): exactly one of the two, ending after it starts and
 * within `maxMs`. The issue paths name the field to fix.
 */
export function checkWindowEnd(maxMs: number, maxText: string) {
  return (
    v: { startsAt?: string; endsAt?: string; durationMinutes?: number },
    ctx: { addIssue: (issue: { code: "custom"; path: string[]; message: string }) => void },
  ): void => {
    if ((v.endsAt === undefined) === (v.durationMinutes === undefined)) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "give an end time or a duration" });
      return;
    }
    if (v.endsAt === undefined) return;
    const start = v.startsAt ? Date.parse(v.startsAt) : Date.now();
    const end = Date.parse(v.endsAt);
    if (end <= start) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after the start" });
    else if (end - start > maxMs)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: `at most ${maxText} after the start` });
  };
}

export const maintenanceInputSchema = z
  .object({
    reason: z.string().trim().min(1, "say why (shown on the fleet page)").max(500, "at most 500 characters"),
    /** ISO time; absent = now */
    startsAt: z.iso.datetime({ offset: true, message: "an ISO date and time" }).optional(),
    /** ISO time; or give durationMinutes */
    endsAt: z.iso.datetime({ offset: true, message: "an ISO date and time" }).optional(),
    durationMinutes: z
      .number({ message: "a number of minutes" })
      .int("whole minutes")
      .min(1, "at least 1 minute")
      .max(MAX_MINUTES, "at most 30 days")
      .optional(),
  })
  .superRefine(checkWindowEnd(MAINTENANCE_MAX_MS, "30 days"));
export type MaintenanceInput = z.input<typeof maintenanceInputSchema>;

export const maintenanceParams = z.object({
  id: z.string().min(1).max(64),
  maintenanceId: z.string().min(1).max(64),
});
