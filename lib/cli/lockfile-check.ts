// Fails when `npm install` would change package-lock.json, i.e. when the lockfile
// no longer describes exactly what package.json asks for (then `npm ci` on a fresh
// machine fails or installs something else). Runs npm on copies in a temp dir, so
// the real lockfile is never rewritten; cached metadata is preferred, so it takes
// about a second.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function lockfileDrift(projectDir: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-lockfile-"));
  try {
    for (const f of ["package.json", "package-lock.json"])
      fs.copyFileSync(path.join(projectDir, f), path.join(dir, f));
    const r = spawnSync(
      "npm",
      ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
      { cwd: dir, encoding: "utf8" },
    );
    if (r.status !== 0) return `npm install --package-lock-only failed:\n${r.stderr}`;
    const before = fs.readFileSync(path.join(projectDir, "package-lock.json"), "utf8");
    const after = fs.readFileSync(path.join(dir, "package-lock.json"), "utf8");
    if (before === after) return null;
    const a = before.split("\n");
    const b = new Set(after.split("\n"));
    const added = after.split("\n").filter((l) => !a.includes(l)).length;
    const removed = a.filter((l) => !b.has(l)).length;
    return `npm install would change package-lock.json (+${added} / -${removed} lines): run \`npm install\` and commit the lockfile it writes`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "");
if (isMain) {
  const problem = lockfileDrift(process.cwd());
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  process.stdout.write("package-lock.json is complete: npm install would not change it\n");
}
