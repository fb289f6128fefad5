import { describe, expect, it } from "vitest";
import { nameSchema, unsafeTextProblem } from "./text";

describe("names", () => {
  it.each([
    ["NUL", "Store\u00001", "U+0000, a control character"],
    ["newline inside", "Store\n1", "U+000A, a control character"],
    ["right-to-left override", "Store \u202Egpj.exe", "U+202E, a bidirectional formatting character"],
    ["isolate", "a\u2066b", "U+2066, a bidirectional"],
    ["zero-width space", "ad\u200Bmin", "U+200B, an invisible formatting character"],
    ["BOM inside", "St\uFEFFore", "U+FEFF"],
    ["C1 control", "x\u0085y", "U+0085, a control character"],
  ])("refuses %s, naming the character", (_what, text, message) => {
    const r = nameSchema(100).safeParse(text);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(message);
  });

  it("normalises to NFC and trims, keeps ordinary Unicode", () => {
    expect(nameSchema(100).parse("  Tienda Cádiz  ")).toBe("Tienda Cádiz");
    expect(nameSchema(100).parse("Tienda Ca\u0301diz")).toBe("Tienda C\u00e1diz");
    expect(nameSchema(100).parse("風力発電所 北")).toBe("風力発電所 北");
    expect(unsafeTextProblem("Møller & Søn, 2. sal")).toBeNull();
  });
});
