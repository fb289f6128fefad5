// Loopback HTTP/JSON control API for faults: GET/POST /faults, DELETE /faults[/:id], GET /manifest,
// and the request log when one is kept: GET /requests[?since=ms], DELETE /requests.
import http from "node:http";
import type { FaultController } from "./faults";
import { FaultValidationError } from "./faults";
import type { SimManifest } from "./manifest";
import type { RequestLog } from "./request-log";

export interface ControlServerOptions {
  host: string;
  port: number;
  faults: FaultController;
  manifest: () => SimManifest;
  requests?: RequestLog | undefined;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendCompact(res: http.ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new FaultValidationError([{ path: "", message: "body too large" }]);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new FaultValidationError([{ path: "", message: "body is not valid JSON" }]);
  }
}

export async function startControlServer(
  options: ControlServerOptions,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "");
    const run = async () => {
      if (req.method === "GET" && path === "/faults")
        return send(res, 200, { faults: options.faults.list() });
      if (req.method === "GET" && path === "/manifest") return send(res, 200, options.manifest());
      if (req.method === "GET" && (path === "" || path === "/healthz")) return send(res, 200, { ok: true });
      if (path === "/requests" && (req.method === "GET" || req.method === "DELETE")) {
        const log = options.requests;
        if (!log) return send(res, 404, { error: "no request log: start the simulator with requestLog" });
        if (req.method === "DELETE") return send(res, 200, { removed: log.clear() });
        const since = Number(url.searchParams.get("since") ?? 0);
        if (!Number.isFinite(since) || since < 0)
          return send(res, 400, {
            error: "invalid query",
            issues: [{ path: "since", message: "a time in ms" }],
          });
        // compact: one row per request
        return sendCompact(res, {
          columns: ["site", "cluster", "agent", "at"],
          rows: log.entries(since).map((e) => [e.site, e.cluster, e.agent, e.at]),
        });
      }
      if (req.method === "POST" && path === "/faults") {
        const body = await readJson(req);
        const inputs = Array.isArray(body) ? body : [body];
        const created = inputs.map((i) => options.faults.add(i));
        return send(res, 201, Array.isArray(body) ? { faults: created } : created[0]);
      }
      if (req.method === "DELETE" && path === "/faults")
        return send(res, 200, { removed: options.faults.clear() });
      const one = /^\/faults\/([^/]+)$/.exec(path);
      if (req.method === "DELETE" && one) {
        const isRemoved = options.faults.remove(decodeURIComponent(one[1] ?? ""));
        return send(res, isRemoved ? 200 : 404, isRemoved ? { removed: 1 } : { error: "no such fault" });
      }
      return send(res, 404, { error: `no route for ${req.method} ${path}` });
    };
    run().catch((err: unknown) => {
      if (err instanceof FaultValidationError) send(res, 400, { error: "invalid fault", issues: err.issues });
      else send(res, 500, { error: String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { server, url: `http://${options.host}:${port}` };
}
