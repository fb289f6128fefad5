import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { until } from "@/lib/testing/until";

// The failpoint mechanism itself, in real child processes (it stops the process
// that reaches it, so it cannot run inside the test's own).

const ROOT = path.resolve(__dirname, "..", "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-failpoints-test-"));
const children: ChildProcess[] = [];

/** A process that reaches `alerts.deliver.before-send` twice, printing after each. */
function child(env: Record<string, string>) {
  const script = `import("@/lib/alerts/failpoints").then((m) => {
    m.failpoint("alerts.deliver.before-send"); console.log(JSON.stringify({ msg: "passed 1" }));
    m.failpoint("alerts.deliver.before-send"); console.log(JSON.stringify({ msg: "passed 2" }));
  });`;
  const proc = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(proc);
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (l) => {
    if (l.startsWith("{")) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return { proc, lines, exited };
}

/** The kernel's view: "T" = stopped. */
function state(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] ?? "?";
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("failpoints", () => {
  it("do nothing when no directory is configured, or when the point is not armed", async () => {
    const off = child({ OUTPOST_FAILPOINTS_DIR: "" });
    const unarmed = child({ OUTPOST_FAILPOINTS_DIR: dir });
    expect(await off.exited).toBe(0);
    expect(await unarmed.exited).toBe(0);
    expect(off.lines.map((l) => l.msg)).toEqual(["passed 1", "passed 2"]);
    expect(unarmed.lines.map((l) => l.msg)).toEqual(["passed 1", "passed 2"]);
  }, 60_000);

  it("an armed point stops the first process that reaches it, once; SIGCONT lets it go on", async () => {
    fs.writeFileSync(path.join(dir, "alerts.deliver.before-send"), "");
    const c = child({ OUTPOST_FAILPOINTS_DIR: dir });
    const pid = c.proc.pid ?? 0;
    const reached = await until(() => c.lines.find((l) => l.msg === "failpoint reached") ?? false, {
      timeoutMs: 30_000,
      what: "failpoint reached",
    });
    expect(reached).toMatchObject({ failpoint: "alerts.deliver.before-send", pid });
    await until(() => state(pid) === "T", { timeoutMs: 10_000, what: "child stopped" });
    // claimed by this process: no other can stop there again
    expect(fs.readdirSync(dir)).toEqual([`alerts.deliver.before-send.reached-by-${pid}`]);
    expect(c.lines.some((l) => l.msg === "passed 1")).toBe(false);
    c.proc.kill("SIGCONT");
    expect(await c.exited).toBe(0);
    // the second pass through the same point does not stop it
    expect(c.lines.filter((l) => l.msg !== "failpoint reached").map((l) => l.msg)).toEqual([
      "passed 1",
      "passed 2",
    ]);
  }, 60_000);
});
