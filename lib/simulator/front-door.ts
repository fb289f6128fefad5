// The network side: raw TCP listeners that read the TLS ClientHello's SNI before
// TLS starts, so per-cluster faults (refuse, blackhole, latency) act before the
// handshake; then one HTTPS server with per-cluster certificates via SNICallback.
import https from "node:https";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import type { ClusterRuntime } from "./cluster";
import type { FaultController } from "./faults";
import { type ActiveWatch, handleApi, type Responder } from "./k8s/api";
import { ApiError, unauthorized } from "./k8s/errors";

type SniResult = { status: "more" } | { status: "done"; serverName?: string } | { status: "invalid" };

/** Reads the server_name extension from a TLS ClientHello record. */
export function parseSni(buf: Buffer): SniResult {
  if (buf.length < 5) return { status: "more" };
  if (buf[0] !== 0x16) return { status: "invalid" };
  const recordLength = buf.readUInt16BE(3);
  if (recordLength > 16_384 + 2048) return { status: "invalid" };
  if (buf.length < 5 + recordLength) return { status: "more" };
  let p = 5;
  if (buf[p] !== 0x01) return { status: "invalid" };
  p += 4 + 2 + 32;
  const sessionLength = buf[p] ?? 0;
  p += 1 + sessionLength;
  if (p + 2 > buf.length) return { status: "invalid" };
  p += 2 + buf.readUInt16BE(p);
  const compressionLength = buf[p] ?? 0;
  p += 1 + compressionLength;
  if (p + 2 > buf.length) return { status: "done" };
  const end = Math.min(buf.length, p + 2 + buf.readUInt16BE(p));
  p += 2;
  while (p + 4 <= end) {
    const type = buf.readUInt16BE(p);
    const length = buf.readUInt16BE(p + 2);
    p += 4;
    if (type === 0 && p + 5 <= end) {
      const nameLength = buf.readUInt16BE(p + 3);
      return {
        status: "done",
        serverName: buf
          .subarray(p + 5, p + 5 + nameLength)
          .toString("ascii")
          .toLowerCase(),
      };
    }
    p += length;
  }
  return { status: "done" };
}

export interface FrontDoorOptions {
  host: string;
  faults: FaultController;
  lookup(serverName: string): ClusterRuntime | undefined;
  watches: { register(w: ActiveWatch): void; unregister(w: ActiveWatch): void };
  /** every request that reaches a reachable cluster, on arrival (the simulator's request log) */
  onRequest?: (runtime: ClusterRuntime, req: import("node:http").IncomingMessage, path: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const MAX_BODY = 3 * 1024 * 1024;

export class FrontDoor {
  readonly https: https.Server;
  private readonly held = new Set<net.Socket>();
  private readonly servers = new Set<net.Server>();

  constructor(private readonly options: FrontDoorOptions) {
    this.https = https.createServer(
      {
        SNICallback: (serverName, cb) => {
          const runtime = options.lookup(serverName.toLowerCase());
          if (!runtime) return cb(new Error(`unknown server name ${serverName}`));
          cb(
            null,
            runtime.getSecureContext(options.faults.servedCertificate(runtime.site.slug, runtime.spec.name)),
          );
        },
        requestCert: true,
        // Client certificates are checked per request so a bad one yields a 401 Status, as on k3s.
        rejectUnauthorized: false,
        minVersion: "TLSv1.2",
        keepAlive: true,
        keepAliveTimeout: 65_000,
        requestTimeout: 0,
      },
      (req, res) => {
        this.serve(req, res).catch((err: unknown) => {
          if (!res.headersSent)
            writeError(res, err instanceof ApiError ? err : new ApiError(500, "InternalError", String(err)));
        });
      },
    );
    this.https.on("secureConnection", (socket: TLSSocket) => {
      const runtime = options.lookup(String(socket.servername || "").toLowerCase());
      if (!runtime) return socket.destroy();
      runtime.sockets.add(socket);
      socket.on("close", () => runtime.sockets.delete(socket));
    });
    this.https.on("tlsClientError", () => {});
  }

  /** Starts a raw listener; `dedicated` pins it to one cluster (so "offline" can close it for real). */
  async listen(port: number, dedicated?: ClusterRuntime): Promise<net.Server> {
    const server = net.createServer((socket) => this.accept(socket, dedicated));
    server.on("error", () => {});
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.servers.add(server);
    return server;
  }

  async closeServer(server: net.Server): Promise<void> {
    this.servers.delete(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket, dedicated?: ClusterRuntime): void {
    socket.on("error", () => {});
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const sni = parseSni(buffered);
      if (sni.status === "more" && buffered.length < 20_000) return;
      socket.off("data", onData);
      socket.pause();
      const runtime =
        sni.status === "done" && sni.serverName ? this.options.lookup(sni.serverName) : dedicated;
      if (!runtime || (dedicated && runtime !== dedicated)) {
        socket.resetAndDestroy();
        return;
      }
      void this.admit(socket, runtime, buffered);
    };
    socket.on("data", onData);
  }

  private async admit(socket: net.Socket, runtime: ClusterRuntime, hello: Buffer): Promise<void> {
    const { faults } = this.options;
    const state = faults.connectionState(runtime.site.slug, runtime.spec.name);
    if (state === "refuse") {
      socket.resetAndDestroy();
      return;
    }
    if (state === "blackhole") {
      this.hold(socket);
      return;
    }
    const latency = faults.latencyMs(runtime.site.slug, runtime.spec.name);
    if (latency > 0) await sleep(latency);
    if (socket.destroyed) return;
    socket.unshift(hello);
    this.https.emit("connection", socket);
  }

  private hold(socket: net.Socket): void {
    this.held.add(socket);
    socket.on("close", () => this.held.delete(socket));
  }

  private async serve(
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ): Promise<void> {
    const socket = req.socket as TLSSocket;
    const runtime = this.options.lookup(String(socket.servername || "").toLowerCase());
    if (!runtime) {
      socket.destroy();
      return;
    }
    const { faults } = this.options;
    const site = runtime.site.slug;
    const name = runtime.spec.name;
    const state = faults.connectionState(site, name);
    if (state === "refuse") {
      socket.destroy();
      return;
    }
    if (state === "blackhole") {
      this.hold(socket);
      return;
    }
    // logged on arrival: a slow link's answer comes latencyMs later
    this.options.onRequest?.(runtime, req, new URL(req.url ?? "/", "https://localhost").pathname);
    const latency = faults.latencyMs(site, name);
    const body = await readBody(req);
    if (latency > 0) await sleep(latency);
    const bytesPerSecond = faults.bandwidth(site, name);
    const send = (status: number, payload: Buffer, contentType: string, headers: ExtraHeaders = {}) => {
      res.writeHead(status, {
        "Cache-Control": "no-cache, private",
        ...headers,
        "Content-Type": contentType,
        "Content-Length": payload.length,
      });
      if (!bytesPerSecond) {
        res.end(payload);
        return;
      }
      void throttle(res, payload, bytesPerSecond);
    };
    const respond: Responder = {
      json: (status, value, headers) =>
        send(status, Buffer.from(JSON.stringify(value)), "application/json", headers),
      text: (status, text, headers) => send(status, Buffer.from(text), "text/plain; charset=utf-8", headers),
    };
    const sendError = (err: ApiError) => respond.json(err.code, err.toStatus());
    if (body === undefined)
      return sendError(
        new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
      );
    const identity = faults.isCredentialsRotated(site, name)
      ? null
      : runtime.authenticate(socket, req.headers.authorization);
    if (!identity) return sendError(unauthorized());
    try {
      const url = new URL(req.url ?? "/", "https://localhost");
      await handleApi({
        runtime,
        identity,
        req,
        res,
        url,
        body,
        respond,
        watches: this.options.watches,
        isBlackholed: () => faults.connectionState(site, name) !== "up",
      });
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(
        err instanceof ApiError
          ? err
          : new ApiError(500, "InternalError", `Internal error occurred: ${(err as Error).message}`),
      );
    }
  }

  /** Drops every connection of a cluster (offline, TLS swapped, flap down). */
  dropConnections(runtime: ClusterRuntime): void {
    for (const s of runtime.sockets) s.destroy();
    runtime.sockets.clear();
  }

  async close(): Promise<void> {
    for (const s of this.held) s.destroy();
    this.held.clear();
    const closing = [...this.servers].map((s) => this.closeServer(s));
    this.https.closeAllConnections?.();
    await Promise.all(closing);
  }
}

type ExtraHeaders = Record<string, string | string[]>;

function readBody(req: import("node:http").IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) isTooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(isTooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.alloc(0)));
  });
}

async function throttle(
  res: import("node:http").ServerResponse,
  payload: Buffer,
  bytesPerSecond: number,
): Promise<void> {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  for (let offset = 0; offset < payload.length; offset += slice) {
    if (res.destroyed) return;
    res.write(payload.subarray(offset, offset + slice));
    if (offset + slice < payload.length) await sleep(100);
  }
  res.end();
}

function writeError(res: import("node:http").ServerResponse, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  res.writeHead(err.code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
