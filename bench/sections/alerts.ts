import { type BenchSection, runChildBench } from "../kit";

export const alertsSection: BenchSection = {
  name: "alerts",
  summary:
    "one evaluation of 10,000 nodes (real influxd): query, evaluation CPU, DB write; naive per-node; storm; crossing → webhook delay",
  async run() {
    runChildBench("alerts", ["bench/programs/alerts.ts", "--nodes", "10000"]);
  },
};
