import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import type { FleetSpec } from "@/lib/simulator/fleet";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
// Not a React hook despite its name (biome would read it as one here).
import { useTempDataDir as openTempDataDir } from "./temp-data-dir";

/**
 * A simulated fleet over real TLS, imported into a fresh data directory, for
 * tests that run Outpost's own collector against it. `stop()` undoes it all.
 */
export async function startImportedFleet(
  fleet: FleetSpec,
  env: Record<string, string> = {},
): Promise<{ sim: SimulatorHandle; stop: () => Promise<void> }> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-fleet-bed-"));
  const sim = await startSimulator({ fleet, outDir, isScheduleEnabled: false });
  const { cleanup } = await openTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1", ...env });
  const results = await importFleet(readFleetDirectory(outDir).items);
  const failed = results.filter((r) => r.status !== "created");
  if (failed.length > 0) throw new Error(`fleet import failed: ${JSON.stringify(failed).slice(0, 500)}`);
  return {
    sim,
    async stop() {
      await cleanup();
      await sim.stop();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
