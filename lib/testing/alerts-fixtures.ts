// Test beds for the alerts tests (vitest and Playwright): a webhook receiver as
// a careful integrator writes one, and "the collector just polled this cluster".
// Never imported by product code.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  IDEMPOTENCY_HEADER,
  type Notification,
  SIGNATURE_HEADER,
  verifySignature,
} from "@/lib/alerts/payload";

export interface ReceivedRequest {
  key: string;
  /** what the message says, independent of its key: each alert's fingerprint, status and start */
  content: string;
  status: number;
  isSigned: boolean;
  at: number;
}

/** A notification's content: the same change announced twice under two keys has one content. */
export function contentOf(body: Notification): string {
  return body.alerts
    .map((a) => `${a.fingerprint}|${a.status}|${a.startsAt}`)
    .sort()
    .join(",");
}

function parseBody(text: string): Notification | null {
  try {
    return JSON.parse(text) as Notification;
  } catch {
    return null;
  }
}

/** Checks each signature, accepts each idempotency key once, can fail the next N requests. */
export class WebhookReceiver {
  readonly accepted: { key: string; body: Notification; at: number }[] = [];
  readonly requests: ReceivedRequest[] = [];
  failNext: { count: number; status: number } = { count: 0, status: 500 };
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
        const key = String(req.headers[IDEMPOTENCY_HEADER] ?? "");
        const sig = req.headers[SIGNATURE_HEADER];
        const isSigned = verifySignature(
          this.secret,
          body,
          typeof sig === "string" ? sig : null,
          Math.floor(Date.now() / 1000),
        );
        const parsed = parseBody(body);
        let status = 200;
        if (!isSigned || !parsed) status = isSigned ? 400 : 401;
        else if (this.failNext.count > 0) {
          this.failNext.count--;
          status = this.failNext.status;
        } else if (!this.accepted.some((a) => a.key === key)) {
          this.accepted.push({ key, body: parsed, at: Date.now() });
          status = 202;
        }
        this.requests.push({
          key,
          content: parsed ? contentOf(parsed) : "",
          status,
          isSigned,
          at: Date.now(),
        });
        res.writeHead(status).end();
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

  /** Every alert announced for a site, in order: status, node, rule kind. */
  announced(site: string): { status: string; node: string | null; kind: string }[] {
    return this.accepted.flatMap((m) =>
      m.body.alerts
        .filter((a) => a.site.slug === site)
        .map((a) => ({ status: a.status, node: a.node, kind: a.labels.kind ?? "" })),
    );
  }
}

/** A ClusterStatus as the collector writes it after a successful poll with every node Ready. */
export function polledStatus(at: number, nodes: string[]) {
  const summary = {
    observedAt: new Date(at).toISOString(),
    nodeCount: nodes.length,
    readyCount: nodes.length,
    notReady: [],
    cordoned: [],
    pressure: [],
    workloadProblemCount: 0,
    workloadProblems: [],
    warningEventCount: 0,
  };
  return {
    lastAttemptAt: new Date(at),
    lastSuccessAt: new Date(at),
    summary: JSON.stringify(summary),
    snapshot: JSON.stringify({ nodes: nodes.map((name) => ({ name })) }),
  };
}
