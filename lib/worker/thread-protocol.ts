import { z } from "zod";

// Messages between the web server and its worker thread (lib/worker/thread.ts,
// lib/worker/thread-main.ts). Both sides parse what they receive: a message of
// another shape is a bug that should be logged, not acted on.

export const toParentSchema = z.discriminatedUnion("type", [
  /** the worker host runs: its instance id (the owner of its leases) and the services that started */
  z.object({ type: z.literal("ready"), instanceId: z.string().min(1), services: z.array(z.string()) }),
  /** the host stopped cleanly after a "stop" */
  z.object({ type: z.literal("stopped") }),
]);
export type ToParent = z.infer<typeof toParentSchema>;

export const toThreadSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("stop") })]);
export type ToThread = z.infer<typeof toThreadSchema>;
