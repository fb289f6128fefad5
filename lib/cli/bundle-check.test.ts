import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serverLeaks } from "./bundle-check";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-bundle-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("client bundle check", () => {
  it("finds a secret setting's name in a chunk and passes a clean one", () => {
    fs.mkdirSync(path.join(dir, "chunks"));
    fs.writeFileSync(path.join(dir, "chunks", "ok.js"), "console.log('fleet')");
    expect(serverLeaks(dir)).toEqual([]);
    fs.writeFileSync(path.join(dir, "chunks", "bad.js"), "const k=process.env.OUTPOST_SECRET_KEY;");
    expect(serverLeaks(dir)).toEqual([
      { file: path.join(dir, "chunks", "bad.js"), marker: "OUTPOST_SECRET_KEY" },
    ]);
  });
});
