// Scenario files: timed fault injections, optionally looping, replayed against a FaultController.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { FaultController } from "./faults";

export const scenarioSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  /** replay the whole scenario every loopMs */
  loopMs: z.number().int().positive().optional(),
  steps: z.array(
    z
      .object({
        atMs: z.number().int().min(0),
        note: z.string().optional(),
        type: z.string(),
        site: z.string(),
        cluster: z.string().optional(),
        node: z.string().optional(),
        params: z.record(z.string(), z.unknown()).optional(),
        durationMs: z.number().int().positive().optional(),
      })
      .strict(),
  ),
});

export type Scenario = z.infer<typeof scenarioSchema>;

export function loadScenario(path: string): Scenario {
  return scenarioSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export interface ScenarioHandle {
  stop(): void;
}

export function runScenario(
  scenario: Scenario,
  faults: FaultController,
  log: (message: string) => void = () => {},
): ScenarioHandle {
  const timers = new Set<NodeJS.Timeout>();
  const play = () => {
    for (const step of scenario.steps) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        const { atMs: _at, note, ...input } = step;
        try {
          const fault = faults.add({ ...input, params: input.params ?? {} });
          log(
            `[scenario] ${note ?? fault.type} -> ${fault.type} ${fault.site}${fault.cluster ? `/${fault.cluster}` : ""}${fault.node ? `/${fault.node}` : ""} (${fault.id})`,
          );
        } catch (err) {
          log(`[scenario] step at ${step.atMs} ms rejected: ${(err as Error).message}`);
        }
      }, step.atMs);
      timers.add(timer);
    }
  };
  play();
  let loop: NodeJS.Timeout | undefined;
  if (scenario.loopMs) loop = setInterval(play, scenario.loopMs);
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (loop) clearInterval(loop);
    },
  };
}
