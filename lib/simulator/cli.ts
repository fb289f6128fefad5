// npm run sim -- --sites N [--seed S] [--preset demo] [--out DIR] [--influx URL --influx-db NAME]
//                [--scenario FILE] [--host 127.0.0.1] [--port P] [--control-port P]
import path from "node:path";
import { telemetryNodes } from "./fleet";
import { loadScenario, runScenario, type ScenarioHandle } from "./scenario";
import { startSimulator } from "./simulator";
import { startTelemetry } from "./telemetry";
import type { TelemetryHandle } from "./telemetry/contract";

interface CliArgs {
  sites?: number;
  seed?: number;
  preset?: "demo";
  out: string;
  influx?: string;
  influxDb: string;
  telemetryIntervalMs: number;
  scenario?: string;
  isScenarioDisabled: boolean;
  host: string;
  port: number;
  controlPort: number;
  isScheduleEnabled: boolean;
}

const USAGE = `usage: npm run sim -- (--sites N | --preset demo) [--seed S] [--out DIR]
       [--influx URL --influx-db NAME] [--telemetry-interval MS] [--scenario FILE | --no-scenario]
       [--host 127.0.0.1] [--port P] [--control-port P] [--no-schedules]`;

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    out: ".data/sim",
    influxDb: "outpost",
    telemetryIntervalMs: 10_000,
    isScenarioDisabled: false,
    host: "127.0.0.1",
    port: 0,
    controlPort: 7700,
    isScheduleEnabled: true,
  };
  const number = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0)
      throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const take = () => {
      i++;
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case "--sites":
        args.sites = number(flag, take());
        break;
      case "--seed":
        args.seed = number(flag, take());
        break;
      case "--preset":
        if (take() !== "demo") throw new Error("the only preset is demo");
        args.preset = "demo";
        break;
      case "--out":
        args.out = take();
        break;
      case "--influx":
        args.influx = take();
        break;
      case "--influx-db":
        args.influxDb = take();
        break;
      case "--telemetry-interval":
        args.telemetryIntervalMs = number(flag, take());
        break;
      case "--scenario":
        args.scenario = take();
        break;
      case "--no-scenario":
        args.isScenarioDisabled = true;
        break;
      case "--host":
        args.host = take();
        break;
      case "--port":
        args.port = number(flag, take());
        break;
      case "--control-port":
        args.controlPort = number(flag, take());
        break;
      case "--no-schedules":
        args.isScheduleEnabled = false;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!args.preset && args.sites === undefined) throw new Error("give --sites N or --preset demo");
  if (args.port === 6443 || args.controlPort === 6443)
    throw new Error("port 6443 is reserved for copied k3s.yaml files");
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(args.host))
    throw new Error("--host must be a loopback address");
  return args;
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const sim = await startSimulator({
    preset: args.preset,
    sites: args.sites,
    seed: args.seed,
    host: args.host,
    port: args.port,
    controlPort: args.controlPort,
    outDir: path.resolve(args.out),
    isScheduleEnabled: args.isScheduleEnabled,
    log: (m) => console.log(m),
  });
  const clusters = sim.runtimes.length;
  const nodes = sim.runtimes.reduce((n, r) => n + r.spec.nodes.length, 0);
  console.log(
    `simulator up in ${Math.round(performance.now() - t0)} ms: ${sim.manifest.sites.length} sites, ${clusters} clusters, ${nodes} nodes`,
  );
  console.log(`control API: ${sim.controlUrl}  (GET/POST/DELETE /faults, GET /manifest)`);
  console.log(`manifest:    ${path.resolve(args.out, "manifest.json")}`);

  let telemetry: TelemetryHandle | undefined;
  if (args.influx) {
    telemetry = startTelemetry({
      influxUrl: args.influx,
      database: args.influxDb,
      intervalMs: args.telemetryIntervalMs,
      nodes: telemetryNodes(sim.fleet),
      faults: sim.faults,
    });
    console.log(`telemetry:   ${args.influx} db=${args.influxDb} every ${args.telemetryIntervalMs} ms`);
  }

  let scenario: ScenarioHandle | undefined;
  const scenarioFile =
    args.scenario ??
    (args.preset === "demo" && !args.isScenarioDisabled
      ? path.join(import.meta.dirname, "scenarios", "demo.json")
      : undefined);
  if (scenarioFile && !args.isScenarioDisabled) {
    const loaded = loadScenario(scenarioFile);
    scenario = runScenario(loaded, sim.faults, (m) => console.log(m));
    console.log(
      `scenario:    ${loaded.name} (${loaded.steps.length} steps${loaded.loopMs ? `, loops every ${loaded.loopMs / 1000} s` : ""})`,
    );
  }

  let isStopping = false;
  const shutdown = async () => {
    if (isStopping) return;
    isStopping = true;
    scenario?.stop();
    await telemetry?.stop();
    await sim.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
