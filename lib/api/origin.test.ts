import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { checkOrigin } from "./origin";

const req = (url: string, headers: Record<string, string>) =>
  new NextRequest(url, { method: "POST", headers: { host: new URL(url).host, ...headers } });
const refused = (r: NextRequest) => {
  try {
    checkOrigin(r);
    return false;
  } catch {
    return true;
  }
};

afterEach(() => {
  delete process.env.OUTPOST_PUBLIC_URL;
  resetEnvForTests();
});

describe("Origin check", () => {
  it("wants scheme and host to match, not the host alone", () => {
    expect(refused(req("http://outpost.test/api/sites", { origin: "http://outpost.test" }))).toBe(false);
    expect(refused(req("http://outpost.test/api/sites", { origin: "https://outpost.test" }))).toBe(true);
    expect(refused(req("http://outpost.test/api/sites", { origin: "http://outpost.test:8080" }))).toBe(true);
    expect(refused(req("http://outpost.test/api/sites", { origin: "http://evil.outpost.test" }))).toBe(true);
    expect(refused(req("http://outpost.test/api/sites", { origin: "null" }))).toBe(true);
  });

  it("takes Sec-Fetch-Site: same-origin when a browser sent no Origin, and nothing else", () => {
    expect(refused(req("http://outpost.test/api/sites", { "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(refused(req("http://outpost.test/api/sites", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(refused(req("http://outpost.test/api/sites", {}))).toBe(true);
  });

  it("compares with OUTPOST_PUBLIC_URL when set (behind a proxy that rewrites Host)", () => {
    process.env.OUTPOST_PUBLIC_URL = "https://outpost.example.com";
    resetEnvForTests();
    expect(refused(req("http://10.0.0.7:3000/api/sites", { origin: "https://outpost.example.com" }))).toBe(
      false,
    );
    expect(refused(req("http://10.0.0.7:3000/api/sites", { origin: "http://10.0.0.7:3000" }))).toBe(true);
  });
});
