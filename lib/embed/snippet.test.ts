import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeExample, shellExample } from "./snippet";
import { type GrantRecord, verifyEmbedToken } from "./verify";

// The documented examples are run as written (Node with node:crypto, bash with
// openssl) and the tokens they make must verify — so the docs cannot rot.

const SECRET = "oes_example-secret-for-the-docs-0123456789";
const GRANT = "cm0example0000grant";
const BASE = "https://outpost.example.com";

const grant: GrantRecord = {
  id: GRANT,
  kind: "site-status",
  mode: "signed",
  site: null,
  filter: { kind: "store" },
  metric: null,
  ranges: ["1h"],
  defaultRange: "1h",
  origins: ["https://portal.example.com"],
  expiresAt: Date.now() + 86_400_000,
  revokedAt: null,
  isOwnerDisabled: false,
  tokenHash: null,
  rateLimitPerMinute: 60,
  secret: () => SECRET,
};

const verify = (token: string) =>
  verifyEmbedToken(token, { linkKey: Buffer.alloc(32), now: Date.now(), loadGrant: async () => grant });

describe("signing examples in the docs", () => {
  it("the Node example is at most 10 lines and makes a token Outpost accepts", async () => {
    const code = nodeExample(BASE, GRANT, { site: "store-042" });
    expect(code.split("\n").length).toBeLessThanOrEqual(10);
    const run = spawnSync(
      "node",
      ["--input-type=module", "-e", `${code}\nconsole.log(token);\nconsole.log(src);`],
      {
        env: { ...process.env, OUTPOST_EMBED_SECRET: SECRET },
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    const [token, src] = run.stdout.trim().split("\n");
    expect(src).toBe(`${BASE}/embed/${token}?theme=auto`);
    expect(await verify(token ?? "")).toMatchObject({ ok: true, params: { site: "store-042" } });
  });

  it("the curl/openssl example makes a token Outpost accepts", async () => {
    const script = shellExample(BASE, GRANT, { site: "store-042" })
      .split("\n")
      .filter((l) => !l.startsWith("curl") && !l.startsWith("echo"))
      .join("\n")
      .replace("SECRET='oes_…'", `SECRET='${SECRET}'`);
    expect(script.split("\n").length).toBeLessThanOrEqual(10);
    const run = spawnSync("bash", ["-c", `set -euo pipefail\n${script}\necho "$TOKEN"`], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(await verify(run.stdout.trim())).toMatchObject({ ok: true, params: { site: "store-042" } });
  });
});

describe("the README's signing examples", () => {
  it("are exactly what the Embed dialog shows (so both stay tested)", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    const blocks = [...readme.matchAll(/```(?:js|sh)\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trimEnd());
    const args = [
      "https://outpost.example.com",
      "cmx4rpkgy00048d7dnjvsjddx",
      { site: "store-berlin-01" },
    ] as const;
    expect(blocks).toContain(nodeExample(...args));
    expect(blocks).toContain(shellExample(...args));
  });
});
