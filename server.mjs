// `npm start`: Next.js's request handler behind a plain Node HTTP server, so that
// Outpost knows which address really connected. Next only fills X-Forwarded-For
// from the socket when a client sent none, so behind `next start` any client can
// choose the address that login throttling sees. Here the socket's address always
// overwrites the x-outpost-peer header; lib/api/request.ts decides from it (and,
// behind a trusted proxy, from X-Forwarded-For) who the client is.
//
//   node server.mjs [-p PORT] [-H HOST]     (PORT, HOSTNAME from the environment otherwise)
import http from "node:http";
import { parseArgs } from "node:util";

// Like `next start`; set before Next is loaded, which reads it at import time.
process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME ?? undefined;

const app = next({ dev: false, dir: import.meta.dirname, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers["x-outpost-peer"] = req.socket.remoteAddress ?? "";
  void handle(req, res);
});
server.listen(port, hostname, () => {
  process.stdout.write(`Outpost listening on http://${hostname ?? "localhost"}:${port}\n`);
});

/** How long a stop waits for the worker host before the process ends anyway. */
const STOP_TIMEOUT_MS = 15_000;
// Left by lib/worker/embedded.ts: stops the worker host, which hands back its leases.
const SHUTDOWN_HOOK = Symbol.for("outpost.shutdown");
let isStopping = false;
const stop = async () => {
  // A second signal ends the process at once.
  if (isStopping) process.exit(1);
  isStopping = true;
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const worker = Promise.resolve(globalThis[SHUTDOWN_HOOK]?.()).catch((err) =>
    process.stderr.write(`worker host did not stop cleanly: ${err}\n`),
  );
  const timeout = new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
  await Promise.race([Promise.all([closed, worker]), timeout]);
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
