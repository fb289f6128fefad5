// A stand-in for lib/worker/thread-main.ts in lib/worker/thread.test.ts, so the
// supervisor's restart and stop paths can be driven without the real services.
// Behaviour from the environment the thread inherits:
//   FIXTURE_INSTANCE  the instance id it reports (a start counter is appended)
//   FIXTURE_STARTS    a file it appends one line to per start
//   FIXTURE_MODE      "crash": exit with an error soon after reporting ready;
//                     "deaf": ignore "stop"; otherwise stop cleanly on "stop"
import fs from "node:fs";
import { parentPort } from "node:worker_threads";

const starts = process.env.FIXTURE_STARTS;
fs.appendFileSync(starts, "start\n");
const n = fs.readFileSync(starts, "utf8").trim().split("\n").length;
parentPort.postMessage({
  type: "ready",
  instanceId: `${process.env.FIXTURE_INSTANCE}#${n}`,
  services: ["fixture"],
});

const mode = process.env.FIXTURE_MODE;
if (mode === "crash") {
  setTimeout(() => {
    throw new Error("fixture crashed");
  }, 50);
}
// Keeps the thread alive until told otherwise.
const alive = setInterval(() => undefined, 1_000);
parentPort.on("message", (m) => {
  if (mode === "deaf" || m?.type !== "stop") return;
  clearInterval(alive);
  parentPort.postMessage({ type: "stopped" });
  parentPort.close();
});
