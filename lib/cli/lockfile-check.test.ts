import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockfileDrift } from "./lockfile-check";

const root = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function projectWith(lock: (parsed: { packages: Record<string, unknown> }) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-lock-test-"));
  dirs.push(dir);
  fs.copyFileSync(path.join(root, "package.json"), path.join(dir, "package.json"));
  const parsed = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
  lock(parsed);
  fs.writeFileSync(path.join(dir, "package-lock.json"), `${JSON.stringify(parsed, null, 2)}\n`);
  return dir;
}

describe("lockfile check", () => {
  it("passes for the committed lockfile", () => {
    expect(lockfileDrift(root)).toBeNull();
  });

  it("fails for a lockfile without another platform's optional package (what npm ci refused)", () => {
    const dir = projectWith((lock) => {
      const key = Object.keys(lock.packages).find((k) => k.startsWith("node_modules/@biomejs/cli-darwin"));
      expect(key).toBeDefined();
      delete lock.packages[key as string];
    });
    expect(lockfileDrift(dir)).toMatch(/npm install would change package-lock.json/);
  });
});
