import { z } from "zod";

// Input contract for contact points, shared by the routes and the settings form.

export const CONTACT_POINT_KINDS = ["webhook", "slack"] as const;
export type ContactPointKind = (typeof CONTACT_POINT_KINDS)[number];

export const contactPointInputSchema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "at most 100 characters"),
  kind: z.enum(CONTACT_POINT_KINDS, {
    message: "webhook (Alertmanager v4 superset) or slack (incoming webhook)",
  }),
  url: z.string().trim().min(1, "is required").max(2048, "at most 2,048 characters"),
  isEnabled: z.boolean().default(true),
});
export type ContactPointInput = z.input<typeof contactPointInputSchema>;

export const contactPointUpdateSchema = contactPointInputSchema.partial().extend({
  /** true: a new signing secret is generated and shown once */
  rotateSecret: z.boolean().optional(),
});
