import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Rule, type RuleConfig, type RuleInput, ruleInputSchema } from "./rules";

// Rules in the database: the config is JSON, validated with the same schema
// the editor uses, so a row that no longer parses is skipped, never guessed.

export interface RuleView extends Rule {
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

type Row = {
  id: string;
  name: string;
  kind: string;
  isEnabled: boolean;
  config: string;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
};

function toRule(r: Row): RuleView | null {
  try {
    const parsed = ruleInputSchema.safeParse({
      ...JSON.parse(r.config),
      name: r.name,
      kind: r.kind,
      isEnabled: r.isEnabled,
    });
    if (!parsed.success) return null;
    return {
      id: r.id,
      ...parsed.data,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      updatedBy: r.updatedBy,
    };
  } catch {
    return null;
  }
}

function toRow(config: RuleConfig) {
  const { name, kind, isEnabled, ...rest } = config;
  return { name, kind, isEnabled, config: JSON.stringify(rest) };
}

export async function listRules(client: Prisma.TransactionClient = db()): Promise<RuleView[]> {
  const rows = await client.alertRule.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] });
  return rows.map(toRule).filter((r): r is RuleView => r !== null);
}

export async function getRule(id: string): Promise<RuleView | null> {
  const row = await db().alertRule.findUnique({ where: { id } });
  return row ? toRule(row) : null;
}

async function checkContactPoints(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db().alertContactPoint.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true },
  });
  const known = new Set(found.map((f) => f.id));
  const missing = ids.findIndex((id) => !known.has(id));
  if (missing >= 0)
    throw new AppError("validation_failed", "Unknown contact point", {
      issues: [{ path: `contactPointIds.${missing}`, message: "choose an existing contact point" }],
    });
}

export async function createRule(raw: RuleInput, actorName: string | null): Promise<RuleView> {
  const config = ruleInputSchema.parse(raw);
  await checkContactPoints(config.contactPointIds);
  const row = await db().alertRule.create({ data: { ...toRow(config), updatedBy: actorName } });
  return toRule(row) as RuleView;
}

export async function updateRule(id: string, raw: RuleInput, actorName: string | null): Promise<RuleView> {
  const config = ruleInputSchema.parse(raw);
  await checkContactPoints(config.contactPointIds);
  const existing = await db().alertRule.findUnique({ where: { id }, select: { kind: true } });
  if (!existing) throw new AppError("not_found", "Rule not found");
  if (existing.kind !== config.kind)
    throw new AppError("validation_failed", "A rule's kind cannot change", {
      issues: [{ path: "kind", message: `this is a ${existing.kind} rule; create a new rule instead` }],
    });
  const row = await db().alertRule.update({
    where: { id },
    data: { ...toRow(config), updatedBy: actorName },
  });
  return toRule(row) as RuleView;
}

export async function deleteRule(id: string): Promise<void> {
  const { count } = await db().alertRule.deleteMany({ where: { id } });
  if (count === 0) throw new AppError("not_found", "Rule not found");
}

/** The rules a fresh install starts with: temperature from the threshold chain, and its companions. */
export const DEFAULT_RULES: RuleInput[] = [
  { name: "Board temperature", kind: "temperature" },
  { name: "Site unreachable", kind: "site-unreachable" },
  { name: "Node NotReady", kind: "node-not-ready" },
  { name: "Sensor silent", kind: "sensor-silent" },
];

/** Creates the default rules once, the first time the evaluator ever runs (deleting them later sticks). */
export async function seedDefaultRules(tx: Prisma.TransactionClient): Promise<number> {
  if ((await tx.alertRule.count()) > 0) return 0;
  for (const r of DEFAULT_RULES)
    await tx.alertRule.create({ data: { ...toRow(ruleInputSchema.parse(r)), updatedBy: "outpost" } });
  return DEFAULT_RULES.length;
}
