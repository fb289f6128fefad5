import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { type InfluxTarget, influxQuery } from "./client";

// What InfluxDB writes into an error body must never reach a page: only our class and sentence.
const LEAK = "db-internal-7.corp:8088 user=svc_influx password=hunter2";
let server: Server;
let base = "";
const answers: Record<string, { status: number; body: string }> = {
  "/500/query": { status: 500, body: `{"error":"engine failure at ${LEAK}"}` },
  "/400/query": { status: 400, body: `{"error":"error parsing query: found ${LEAK}"}` },
  "/text/query": { status: 502, body: `<html>proxy ${LEAK}</html>` },
  "/stmt/query": {
    status: 200,
    body: `{"results":[{"statement_id":0,"error":"shard ${LEAK} unavailable"}]}`,
  },
  "/auth/query": {
    status: 200,
    body: `{"results":[{"statement_id":0,"error":"authorization failed for ${LEAK}"}]}`,
  },
};

beforeAll(async () => {
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "silent";
  resetEnvForTests();
  server = createServer((req, res) => {
    const a = answers[new URL(req.url ?? "/", "http://x").pathname] ?? { status: 404, body: "" };
    res.writeHead(a.status, { "content-type": "application/json" }).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
  delete process.env.OUTPOST_ALLOW_LOOPBACK;
  delete process.env.OUTPOST_LOG_LEVEL;
  resetEnvForTests();
});

const target = (path: string): InfluxTarget => ({
  key: `errors-${path}`,
  url: `${base}/${path}`,
  database: "telegraf",
  retentionPolicy: null,
  auth: { kind: "none" },
  timeoutMs: 5_000,
});

describe("InfluxDB error bodies", () => {
  it.each([
    ["500", "server-error", "InfluxDB answered HTTP 500"],
    ["400", "bad-query", "InfluxDB rejected the query (HTTP 400)"],
    ["text", "server-error", "InfluxDB answered HTTP 502"],
    ["stmt", "bad-query", "InfluxDB rejected the query"],
    ["auth", "auth", "credentials rejected"],
  ])("%s: a classified reason, not the body", async (path, reason, message) => {
    const r = await influxQuery(target(path), ["SELECT 1"], { cacheMs: 0 });
    expect(r).toEqual({ ok: false, reason, message });
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });
});
