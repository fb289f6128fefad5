import { z } from "zod";
import { SITE_KINDS } from "@/lib/fleet/schemas";

// Input contracts for the threshold chain, shared by the routes and the forms.
// No server imports here.

const celsius = z
  .number({ message: "a temperature in °C" })
  .min(-40, "at least -40 °C")
  .max(150, "at most 150 °C");

const id = z.string().min(1, "is required").max(64);

/** Which level of the chain: the fleet default, one kind, one site, one cluster or one node. */
export const thresholdScopeSchema = z.discriminatedUnion("level", [
  z.object({ level: z.literal("fleet") }),
  z.object({
    level: z.literal("kind"),
    kind: z.enum(SITE_KINDS, { message: `must be one of ${SITE_KINDS.join(", ")}` }),
  }),
  z.object({ level: z.literal("site"), siteId: id }),
  z.object({ level: z.literal("cluster"), clusterId: id }),
  z.object({
    level: z.literal("node"),
    clusterId: id,
    node: z
      .string()
      .min(1, "is required")
      .max(253, "at most 253 characters")
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a Kubernetes node name"),
  }),
]);
export type ThresholdScope = z.infer<typeof thresholdScopeSchema>;

export const thresholdSetSchema = z
  .object({
    scope: thresholdScopeSchema,
    warnCelsius: celsius,
    criticalCelsius: celsius.nullable().default(null),
  })
  .refine((v) => v.criticalCelsius === null || v.criticalCelsius > v.warnCelsius, {
    message: "critical must be above the warning level",
    path: ["criticalCelsius"],
  });
export type ThresholdSetInput = z.input<typeof thresholdSetSchema>;

export const thresholdClearSchema = z.object({ scope: thresholdScopeSchema });
