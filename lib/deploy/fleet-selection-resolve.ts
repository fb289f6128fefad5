import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { fleetList } from "@/lib/fleet/list";
import { fleetQuerySchema, slugSchema } from "@/lib/fleet/schemas";
import { describeFleetFilter, type FleetSelectionRequest, SELECTION_MAX_SITES } from "./fleet-selection";

// "All N matching" from the fleet list, resolved on the server against the same
// roll-up and filter the list shows, at the moment the operator looks at it: the
// sites listed are exactly the sites a deployment or restart will then go to.

export const fleetSelectionSchema = z
  .object({
    /** the fleet filter as URL parameters, as in the control center's address ("" = every site) */
    fleet: z.string().max(1_000),
    /** sites unticked after "select all" */
    except: z.array(slugSchema).max(SELECTION_MAX_SITES).default([]),
  })
  .strict();

/** A target selector names at most this many sites (targetSelectorSchema). */
const SELECTION_MAX_MATCHING = 10_000;

export interface ResolvedFleetSelection {
  /** site slugs, worst first (the list's order) */
  sites: string[];
  /** sites matching the filter now, before the unticked ones are taken out */
  matching: number;
  excluded: number;
  /** the filter in words */
  description: string;
  generatedAt: string;
}

export async function resolveFleetSelection(
  req: FleetSelectionRequest,
  now = Date.now(),
): Promise<ResolvedFleetSelection> {
  const raw = Object.fromEntries(new URLSearchParams(req.fleet));
  // Paging keys are not part of a selection.
  delete raw.offset;
  delete raw.limit;
  const parsed = fleetQuerySchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError("validation_failed", "the fleet filter is not valid", {
      issues: parsed.error.issues.map((i) => ({ path: `fleet.${i.path.join(".")}`, message: i.message })),
    });
  const except = new Set(req.except);
  // The list's own query (the incremental fleet summary), every matching row instead of one page.
  const page = await fleetList({ ...parsed.data, offset: 0, limit: SELECTION_MAX_MATCHING }, now);
  if (page.matching > SELECTION_MAX_MATCHING)
    throw new AppError(
      "validation_failed",
      `more than ${SELECTION_MAX_MATCHING} sites match: narrow the filter`,
      {
        issues: [{ path: "fleet", message: `matches ${page.matching} sites` }],
      },
    );
  const sites = page.items.map((s) => s.slug).filter((slug) => !except.has(slug));
  return {
    sites,
    matching: page.matching,
    excluded: page.matching - sites.length,
    description: describeFleetFilter(req.fleet),
    generatedAt: page.generatedAt,
  };
}
