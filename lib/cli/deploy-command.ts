// `npm run outpost -- deploy <file> --to <selector> [--wait]`: the UI's "new
// revision + roll out" through the HTTP API with an operator token, so CI jobs
// deploy exactly as a person would (same validation, roles, audit). The token
// comes from OUTPOST_TOKEN, never from a flag (flags end up in ps and shell history).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseSelectorText, SelectorSyntaxError } from "@/lib/deploy/selector";

export const DEPLOY_USAGE = `  npm run outpost -- deploy <manifest.yaml> --to <selector> [--name N] [--message M]
        [--canary N] [--waves 10,50,100] [--soak SECONDS] [--force --confirm NAME] [--wait]
      Stores the manifest as the deployment's next revision (creating the deployment on first use;
      the name defaults to the file name) and rolls it out to the clusters --to selects:
      all | site=a|b | kind=store|vehicle | cluster=site/name | key=value (site label) | cluster.key=value,
      terms joined by commas. Talks to OUTPOST_URL (default http://localhost:3000) with the API token in
      OUTPOST_TOKEN (an operator's, from Settings → API tokens).
      --wait   follow the rollout until it completes (exit 0), pauses or is aborted (exit 1)`;

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export interface DeployIo {
  fetch: Fetch;
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  readFile: (file: string) => string;
  sleep: (ms: number) => Promise<void>;
}

const WAIT_POLL_MS = 2_000;

class CliError extends Error {}

interface RolloutView {
  state: string;
  stateReason: string;
  progress: { total: number; done: number; inFlight: number; waiting: number; failed: number };
}

function apiClient(io: DeployIo) {
  const base = (io.env.OUTPOST_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const token = io.env.OUTPOST_TOKEN;
  if (!token) throw new CliError("OUTPOST_TOKEN is not set: create an API token under Settings → API tokens");
  return async <T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await io.fetch(`${base}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
  };
}

function failure(what: string, res: { status: number; body: unknown }): CliError {
  const b = res.body as { error?: { message?: string; issues?: { path?: string; message: string }[] } };
  const issues = (b.error?.issues ?? [])
    .map((i) => `\n  ${i.path ? `${i.path}: ` : ""}${i.message}`)
    .join("");
  return new CliError(`${what}: ${b.error?.message ?? `HTTP ${res.status}`}${issues}`);
}

function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function progressLine(r: RolloutView): string {
  const p = r.progress;
  return `${r.state}: ${p.done} done, ${p.inFlight} in flight, ${p.waiting} waiting, ${p.failed} failed of ${p.total} — ${r.stateReason}`;
}

/** Runs the deploy command; returns the process exit code. */
export async function deployCommand(argv: string[], io: DeployIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof CliError || err instanceof SelectorSyntaxError) {
      io.err(err.message);
      return 2;
    }
    throw err;
  }
}

async function run(argv: string[], io: DeployIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: "string" },
      name: { type: "string" },
      message: { type: "string", default: "" },
      canary: { type: "string" },
      waves: { type: "string" },
      soak: { type: "string" },
      force: { type: "boolean", default: false },
      confirm: { type: "string" },
      wait: { type: "boolean", default: false },
    },
  });
  const [file] = positionals;
  if (!file || !values.to) throw new CliError(`Usage:\n${DEPLOY_USAGE}`);
  const targets = parseSelectorText(values.to);
  const name =
    values.name ??
    path
      .basename(file)
      .replace(/\.(ya?ml|json)$/i, "")
      .toLowerCase();
  let manifest: string;
  try {
    manifest = io.readFile(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const steps = values.waves?.split(",").map((s) => intFlag(s.replace("%", "").trim(), "waves") as number);
  const canary = intFlag(values.canary, "canary");
  const soak = intFlag(values.soak, "soak");
  const strategy = {
    ...(canary !== undefined ? { canary: { count: canary } } : {}),
    ...(steps ? { waves: { by: "percent", steps } } : {}),
    ...(soak !== undefined ? { soakSeconds: soak } : {}),
  };
  const api = apiClient(io);

  const existing = await api<{ deployment: { id: string } }>(
    "GET",
    `/api/deployments/${encodeURIComponent(name)}`,
  );
  let revision: number;
  if (existing.status === 404) {
    const created = await api<{ revision: { number: number } }>("POST", "/api/deployments", {
      name,
      manifest,
      message: values.message,
    });
    if (created.status !== 200) throw failure(`deployment ${name} not created`, created);
    revision = created.body.revision.number;
    io.out(`created deployment ${name} with revision ${revision}`);
  } else if (existing.status === 200) {
    const saved = await api<{ revision: { number: number }; isNew: boolean }>(
      "POST",
      `/api/deployments/${encodeURIComponent(name)}/revisions`,
      { manifest, message: values.message },
    );
    if (saved.status !== 200) throw failure(`revision of ${name} not saved`, saved);
    revision = saved.body.revision.number;
    io.out(
      saved.body.isNew ? `revision ${revision} of ${name}` : `unchanged: revision ${revision} of ${name}`,
    );
  } else {
    throw failure(`deployment ${name} not read`, existing);
  }

  const started = await api<{ id: string; total: number; waves: { name: string; size: number }[] }>(
    "POST",
    `/api/deployments/${encodeURIComponent(name)}/rollouts`,
    {
      revision,
      targets,
      strategy,
      force: values.force,
      ...(values.confirm !== undefined ? { confirm: values.confirm } : {}),
    },
  );
  if (started.status !== 200) throw failure("rollout not started", started);
  const r = started.body;
  io.out(
    `rollout ${r.id}: revision ${revision} to ${r.total} cluster${r.total === 1 ? "" : "s"} (${r.waves
      .map((w) => `${w.name} ${w.size}`)
      .join(", ")})`,
  );
  if (!values.wait) return 0;

  let last = "";
  for (;;) {
    const res = await api<{ rollout: RolloutView }>("GET", `/api/rollouts/${encodeURIComponent(r.id)}`);
    if (res.status !== 200) throw failure("rollout not read", res);
    const line = progressLine(res.body.rollout);
    if (line !== last) io.out(line);
    last = line;
    const state = res.body.rollout.state;
    if (state === "completed") return 0;
    if (state !== "running") return 1;
    await io.sleep(WAIT_POLL_MS);
  }
}

/** The real process's I/O. */
export function processIo(): DeployIo {
  return {
    fetch: (url, init) => fetch(url, init),
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readFile: (file) => readFileSync(file, "utf8"),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
