import { type BenchSection, runChildBench } from "../kit";

export const simulatorSection: BenchSection = {
  name: "simulator",
  summary: "one simulator process at 2,000 clusters (RSS, requests/s)",
  async run() {
    runChildBench("simulator", ["bench/programs/simulator-throughput.ts", "2000"]);
  },
};
