import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { contentSecurityPolicy, newNonce } from "./csp";
import { PATH_HEADER } from "./headers";

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("content security policy", () => {
  it("allows scripts by nonce only and refuses objects, base and framing", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123" });
    expect(directive(csp, "script-src")).toBe("script-src 'nonce-abc123' 'strict-dynamic'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "base-uri")).toBe("base-uri 'none'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("frames only for the origins an embed grant names, and drops anything that is not an origin", () => {
    const csp = contentSecurityPolicy({
      nonce: "n",
      frameAncestors: ["https://portal.example.com", "https://*.evil", "https://x.example/path", "'self'"],
    });
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors https://portal.example.com");
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(a).not.toBe(newNonce());
    expect(Buffer.from(a, "base64")).toHaveLength(16);
  });
});

describe("proxy", () => {
  it("puts a per-request nonce CSP on pages, and the same policy on the request for Next.js", () => {
    const res = proxy(new NextRequest("http://outpost.test/sites"));
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(res.headers.get(`x-middleware-request-${PATH_HEADER}`)).toBe("/sites");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const again = proxy(new NextRequest("http://outpost.test/sites")).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
  });

  it("sends HSTS over https only, and leaves the CSP of API answers to the handler wrapper", () => {
    const page = proxy(new NextRequest("https://outpost.test/"));
    expect(page.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    const api = proxy(new NextRequest("https://outpost.test/api/sites"));
    // A CSP set here would replace the one a route sets (the embed preview is framed by Outpost).
    expect(api.headers.get("content-security-policy")).toBeNull();
    expect(api.headers.get("strict-transport-security")).not.toBeNull();
  });

  it("overwrites a path header a client sent", () => {
    const res = proxy(
      new NextRequest("http://outpost.test/", { headers: { [PATH_HEADER]: "/settings/users" } }),
    );
    expect(res.headers.get(`x-middleware-request-${PATH_HEADER}`)).toBe("/");
  });
});
