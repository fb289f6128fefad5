import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { IDEMPOTENCY_HEADER, type Notification, SIGNATURE_HEADER, verifySignature } from "./payload";

// The demo's local webhook receiver, shown in Outpost as a contact point with
// what it received: it checks each signature, drops repeated idempotency keys
// (as a receiver should), keeps the last messages, and lists them at
// GET /messages. Used by `npm run demo` only; real receivers live elsewhere.

export interface SinkMessage {
  receivedAt: string;
  isSignatureValid: boolean;
  isDuplicate: boolean;
  idempotencyKey: string | null;
  status: string | null;
  reason: string | null;
  summary: string;
}

const KEEP = 200;

export interface DemoSink {
  url: string;
  messages: SinkMessage[];
  stop(): Promise<void>;
}

export async function startDemoSink(opts: {
  port: number;
  secret: string;
  host?: string;
}): Promise<DemoSink> {
  const messages: SinkMessage[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.startsWith("/messages")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ messages }));
      return;
    }
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => {
      if (body.length < 1_000_000) body += c.toString();
    });
    req.on("end", () => {
      const sig = req.headers[SIGNATURE_HEADER];
      const isSignatureValid = verifySignature(
        opts.secret,
        body,
        typeof sig === "string" ? sig : null,
        Math.floor(Date.now() / 1000),
      );
      const key =
        typeof req.headers[IDEMPOTENCY_HEADER] === "string" ? String(req.headers[IDEMPOTENCY_HEADER]) : null;
      const isDuplicate = key !== null && seen.has(key);
      let parsed: Partial<Notification> = {};
      try {
        parsed = JSON.parse(body) as Partial<Notification>;
      } catch {
        parsed = {};
      }
      messages.unshift({
        receivedAt: new Date().toISOString(),
        isSignatureValid,
        isDuplicate,
        idempotencyKey: key,
        status: parsed.status ?? null,
        reason: parsed.reason ?? null,
        summary: (parsed.alerts ?? [])
          .map((a) => a.annotations?.summary ?? "")
          .filter(Boolean)
          .slice(0, 3)
          .join("; "),
      });
      messages.splice(KEEP);
      if (!isSignatureValid) {
        res.writeHead(401).end();
        return;
      }
      if (key) seen.add(key);
      res.writeHead(isDuplicate ? 200 : 202).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    messages,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
