import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createDatabase,
  type InfluxdInstance,
  queryInflux,
  quoteIdentifier,
  quoteLiteral,
  startInfluxd,
} from "./influxd";

const started: InfluxdInstance[] = [];
const scratch: string[] = [];

async function start(options?: Parameters<typeof startInfluxd>[0]) {
  const instance = await startInfluxd(options);
  started.push(instance);
  return instance;
}

async function scratchDir() {
  const dir = await mkdtemp(path.join(tmpdir(), "influxd-test-"));
  scratch.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.stop()));
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function isPingable(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
    return response.status === 204;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function writeLines(url: string, db: string, body: string) {
  const response = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=ms`, {
    method: "POST",
    body,
  });
  expect(response.status, await response.text()).toBe(204);
}

function configuredBinds(dataDir: string): string[] {
  const config = readFileSync(path.join(dataDir, "influxd.conf"), "utf8");
  return [...config.matchAll(/bind-address = "([^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("startInfluxd", () => {
  it("starts on loopback, answers /ping, and cleans up its temp dir on stop", async () => {
    const instance = await start();
    expect(instance.url).toBe(`http://127.0.0.1:${instance.port}`);
    expect(await isPingable(instance.url)).toBe(true);
    expect(existsSync(instance.dataDir)).toBe(true);
    expect(isAlive(instance.pid)).toBe(true);

    await instance.stop();
    expect(isAlive(instance.pid)).toBe(false);
    expect(await isPingable(instance.url)).toBe(false);
    expect(existsSync(instance.dataDir)).toBe(false);
    // stop() twice is harmless
    await instance.stop();
  });

  it("keeps data across a restart on the same data dir and port", async () => {
    const dir = await scratchDir();
    const first = await start({ dataDir: dir });
    await createDatabase(first.url, "keep me");
    await writeLines(first.url, "keep me", "temp,host=pi-1 temp=71.5 1700000000123");
    await first.stop();
    expect(existsSync(path.join(dir, "data"))).toBe(true);
    expect(existsSync(path.join(dir, "influxd.pid"))).toBe(false);

    // A pidfile left by a crash, whose pid now belongs to an unrelated process, must not block.
    writeFileSync(path.join(dir, "influxd.pid"), String(process.pid));
    const second = await start({ dataDir: dir, port: first.port });
    expect(second.port).toBe(first.port);
    const result = await queryInflux(second.url, `SELECT temp, host FROM temp`, { db: "keep me" });
    expect(result.results[0]?.series?.[0]?.values).toEqual([[1700000000123, 71.5, "pi-1"]]);
    await second.stop();
    expect(existsSync(dir)).toBe(true);
  });

  it("runs two instances at once on distinct loopback ports with separate data", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    if (!a || !b) throw new Error("expected two instances");
    const binds = [...configuredBinds(a.dataDir), ...configuredBinds(b.dataDir)];
    expect(binds).toHaveLength(4);
    for (const bind of binds) expect(bind).toMatch(/^127\.0\.0\.1:\d+$/);
    const ports = binds.map((bind) => Number(bind.split(":")[1]));
    expect(new Set(ports).size).toBe(4);
    expect(ports).not.toContain(8086);
    expect(ports).not.toContain(8088);
    expect(ports).toContain(a.port);
    expect(ports).toContain(b.port);

    await createDatabase(a.url, "only_a");
    const shown = await queryInflux(b.url, "SHOW DATABASES");
    const names = (shown.results[0]?.series?.[0]?.values ?? []).map((row) => row[0]);
    expect(names).not.toContain("only_a");
    await Promise.all([a.stop(), b.stop()]);
  });

  it("refuses a second daemon on a data dir that is in use", async () => {
    const dir = await scratchDir();
    const first = await start({ dataDir: dir });
    await expect(startInfluxd({ dataDir: dir })).rejects.toThrow(/already running/);
    expect(await isPingable(first.url)).toBe(true);
    await first.stop();
  });

  it("stops influxd when the parent process is killed outright", async () => {
    const dir = await scratchDir();
    const script = `
      const { startInfluxd } = require(${JSON.stringify(path.resolve(import.meta.dirname, "influxd.ts"))});
      startInfluxd({ dataDir: ${JSON.stringify(dir)} }).then((i) => console.log("PID " + i.pid));
      setInterval(() => {}, 1000);
    `;
    // node itself (not the tsx CLI, which would put a second process in between) is the parent.
    const parent = spawn(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = "";
      parent.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /PID (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      parent.once("exit", (code) => reject(new Error(`parent exited early (${code}): ${out}`)));
    }).catch((error: unknown) => {
      parent.kill("SIGKILL");
      throw error;
    });
    expect(isAlive(pid)).toBe(true);
    parent.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });
});

describe("InfluxQL helpers", () => {
  it("quotes identifiers and literals so hostile names stay data", async () => {
    const instance = await start();
    // 1.x refuses "/" and "\\" in database names, everything else must survive quoting.
    const name = `x" OR 1=1 --`;
    await createDatabase(instance.url, name);
    const shown = await queryInflux(instance.url, "SHOW DATABASES");
    expect((shown.results[0]?.series?.[0]?.values ?? []).map((row) => row[0])).toContain(name);

    await writeLines(
      instance.url,
      name,
      `temp,site=x'\\ OR\\ 1\\=1\\ -- temp=1 1000\ntemp,site=other temp=2 2000`,
    );
    const result = await queryInflux(
      instance.url,
      `SELECT temp FROM temp WHERE site = ${quoteLiteral("x' OR 1=1 --")}`,
      { db: name },
    );
    expect(result.results[0]?.series?.[0]?.values).toEqual([[1000, 1]]);
    expect(quoteIdentifier('a"b')).toBe('"a\\"b"');
    await instance.stop();
  });
});
