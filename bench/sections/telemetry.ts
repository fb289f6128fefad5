import { type BenchSection, runChildBench } from "../kit";

export const telemetryWriteSection: BenchSection = {
  name: "telemetry",
  summary: "InfluxDB write throughput and backfill (simulator's telemetry writer, 10,000 nodes)",
  async run() {
    runChildBench("telemetry", [
      "bench/programs/telemetry-write.ts",
      "--nodes",
      "10000",
      "--backfill-nodes",
      "2000",
      "--hours",
      "1",
    ]);
  },
};

export const telemetryReadSection: BenchSection = {
  name: "telemetry-read",
  summary: "fleet-latest and site chart queries against backfilled InfluxDB (2,000 × 3 h, 10,000 × 30 min)",
  // Backfill takes several minutes: only when asked for.
  isOptIn: true,
  async run() {
    runChildBench("telemetry-read", ["bench/programs/telemetry-read.ts"]);
  },
};

export const telemetryTickSection: BenchSection = {
  name: "tick",
  summary:
    "telemetry tick at 10,000 nodes (one InfluxDB request per source, stored per host) vs today's fleet-latest",
  async run() {
    runChildBench("tick", ["bench/programs/telemetry-tick.ts", "10000"]);
  },
};
