import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SITE_STATUSES } from "@/lib/health/model";
import { DARK_STATUS, OUTDATED_RULE } from "./embed-css";

// "Stale greyed exactly as the main UI": the embed stylesheet restates the
// main UI's state colours and greying rule; this keeps the two identical.
const globals = fs.readFileSync(path.resolve(import.meta.dirname, "../../app/globals.css"), "utf8");

function cssVar(name: string): string | undefined {
  return globals.match(new RegExp(`--${name}:\\s*([^;]+);`))?.[1]?.trim();
}

describe("embed stylesheet", () => {
  it("uses the main UI's dark state colours", () => {
    for (const s of SITE_STATUSES) {
      expect(DARK_STATUS[s].fg, s).toBe(cssVar(`st-${s}`));
      expect(DARK_STATUS[s].bg, s).toBe(cssVar(`st-${s}-bg`));
    }
  });

  it("greys old data with the main UI's rule", () => {
    const rule = globals.match(/\.is-outdated\s*\{([^}]*)\}/)?.[1] ?? "";
    const decls = (text: string) =>
      text
        .split(";")
        .map((d) => d.trim().replace(/\s+/g, " "))
        .filter(Boolean)
        .sort();
    expect(decls(OUTDATED_RULE)).toEqual(decls(rule));
  });
});
