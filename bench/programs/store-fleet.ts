// A uniform fleet of single-cluster stores for benchmarks, in its own process so
// several can share the machine's cores: `tsx bench/programs/store-fleet.ts
// <clusters> <outDir> [prefix] [latencyMs]` writes kubeconfigs + manifest, prints
// READY, and serves until SIGTERM. latencyMs adds a "slow" fault to every site,
// the round-trip time of a cellular or satellite uplink.
import { type FleetSpec, generateFleet } from "@/lib/simulator/fleet";
import { startSimulator } from "@/lib/simulator/simulator";

function prefixed(fleet: FleetSpec, prefix: string): FleetSpec {
  return {
    ...fleet,
    sites: fleet.sites.map((s) => ({
      ...s,
      slug: `${prefix}${s.slug}`,
      name: `${s.name} (${prefix.replace(/-$/, "")})`,
      clusters: s.clusters.map((c) => ({ ...c, site: `${prefix}${c.site}` })),
    })),
  };
}

async function main(): Promise<void> {
  const [countArg, outDir, prefix = "", latencyArg = "0"] = process.argv.slice(2);
  const latencyMs = Number(latencyArg);
  const count = Number(countArg);
  if (!Number.isInteger(count) || count <= 0 || !outDir) {
    console.error("usage: store-fleet.ts <clusters> <outDir> [prefix]");
    process.exit(2);
  }
  const seed = [...prefix].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const sim = await startSimulator({
    fleet: prefixed(generateFleet({ sites: count, seed, kinds: ["store"] }), prefix),
    outDir,
    sharedListeners: 2,
    dedicatedPorts: "none",
    isScheduleEnabled: false,
  });
  if (latencyMs > 0) {
    for (const site of sim.fleet.sites)
      sim.faults.add({ type: "slow", site: site.slug, params: { latencyMs } });
  }
  console.log(`READY ${sim.runtimes.length}`);
  const stop = async () => {
    await sim.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

void main();
