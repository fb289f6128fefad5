// A simulated fleet of single-cluster stores in its own process, with a request
// log of every poll (GET /api/v1/nodes): what multi-process tests of sharded
// collection count duplicates and gaps from. Driven by lib/testing/sim-fleet.ts;
// never imported by product code.
//   tsx lib/testing/sim-fleet-child.ts <clusters> <outDir> [seed]
import { generateFleet } from "@/lib/simulator/fleet";
import { startSimulator } from "@/lib/simulator/simulator";

async function main(): Promise<void> {
  const [countArg, outDir, seedArg = "7"] = process.argv.slice(2);
  const count = Number(countArg);
  if (!Number.isInteger(count) || count <= 0 || !outDir) {
    console.error("usage: sim-fleet-child.ts <clusters> <outDir> [seed]");
    process.exit(2);
  }
  const sim = await startSimulator({
    fleet: generateFleet({ sites: count, seed: Number(seedArg), kinds: ["store"] }),
    outDir,
    sharedListeners: 2,
    dedicatedPorts: "none",
    isScheduleEnabled: false,
    requestLog: { path: "/api/v1/nodes" },
  });
  process.stdout.write(
    `${JSON.stringify({ ready: true, controlUrl: sim.controlUrl, clusters: sim.runtimes.length })}\n`,
  );
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

void main();
