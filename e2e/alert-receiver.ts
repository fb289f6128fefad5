import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  IDEMPOTENCY_HEADER,
  type Notification,
  SIGNATURE_HEADER,
  verifySignature,
} from "../lib/alerts/payload";

/** A real webhook receiver for the alerts specs: checks signatures, keeps every message. */
export class AlertReceiver {
  readonly messages: { key: string; isSigned: boolean; body: Notification; at: number }[] = [];
  secret = "";
  url = "";
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const sig = req.headers[SIGNATURE_HEADER];
        const isSigned = verifySignature(
          this.secret,
          body,
          typeof sig === "string" ? sig : null,
          Math.floor(Date.now() / 1000),
        );
        const key = String(req.headers[IDEMPOTENCY_HEADER] ?? "");
        // A second delivery of one key is a duplicate: acknowledged, not kept.
        if (!this.messages.some((m) => m.key === key))
          this.messages.push({ key, isSigned, body: JSON.parse(body) as Notification, at: Date.now() });
        res.writeHead(isSigned ? 202 : 401).end();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Every (status, node) announced for a site, in order. */
  announced(site: string): { status: string; node: string | null; kind: string; isSigned: boolean }[] {
    return this.messages.flatMap((m) =>
      m.body.alerts
        .filter((a) => a.site.slug === site)
        .map((a) => ({ status: a.status, node: a.node, kind: a.labels.kind ?? "", isSigned: m.isSigned })),
    );
  }
}
