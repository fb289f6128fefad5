// lib/work/runner.test.ts: another thread of the process (as the web server is
// to its worker thread) wakes a queue the way lib/work/runner.ts's wakeQueue does.
import { BroadcastChannel, workerData } from "node:worker_threads";

const channel = new BroadcastChannel("outpost:work-wakeups");
channel.postMessage(workerData.queue);
channel.close();
