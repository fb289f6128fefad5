import { describe, expect, it } from "vitest";
import { frameAncestors, isOriginAllowed, normalizeOrigin } from "./origins";

describe("allowed origins", () => {
  it("normalises origins the way browsers send them", () => {
    expect(normalizeOrigin(" HTTPS://Portal.Example.com/ ")).toEqual({
      ok: true,
      origin: "https://portal.example.com",
    });
    expect(normalizeOrigin("https://portal.example.com:443")).toEqual({
      ok: true,
      origin: "https://portal.example.com",
    });
    expect(normalizeOrigin("http://localhost:4100")).toEqual({ ok: true, origin: "http://localhost:4100" });
    expect(normalizeOrigin("https://*.example.com")).toEqual({ ok: true, origin: "https://*.example.com" });
  });

  it("refuses anything that is not just an origin", () => {
    for (const bad of [
      "",
      "portal.example.com",
      "ftp://example.com",
      "https://example.com/path",
      "https://example.com?x=1",
      "https://user:pw@example.com",
      "https://example.com; script-src *",
      "https://a.com https://b.com",
      "*",
      "https://*",
      "https://*.com",
      "'self'",
      "javascript:alert(1)",
    ]) {
      expect(normalizeOrigin(bad).ok, bad).toBe(false);
    }
  });

  it("matches exact origins and subdomain wildcards like CSP does", () => {
    const allowed = ["https://portal.example.com", "https://*.acme.test", "http://localhost:4100"];
    expect(isOriginAllowed("https://portal.example.com", allowed)).toBe(true);
    expect(isOriginAllowed("https://portal.example.com:443", allowed)).toBe(true);
    expect(isOriginAllowed("http://portal.example.com", allowed)).toBe(false);
    expect(isOriginAllowed("https://ops.acme.test", allowed)).toBe(true);
    expect(isOriginAllowed("https://a.b.acme.test", allowed)).toBe(true);
    expect(isOriginAllowed("https://acme.test", allowed)).toBe(false);
    expect(isOriginAllowed("https://evilacme.test", allowed)).toBe(false);
    expect(isOriginAllowed("http://localhost:4101", allowed)).toBe(false);
    expect(isOriginAllowed("not a url", allowed)).toBe(false);
  });

  it("builds a frame-ancestors directive of exactly the allowed origins", () => {
    expect(frameAncestors(["https://a.example", "https://*.b.example"])).toBe(
      "frame-ancestors https://a.example https://*.b.example",
    );
    expect(frameAncestors([])).toBe("frame-ancestors 'none'");
  });
});
