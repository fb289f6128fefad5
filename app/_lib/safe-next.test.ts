import { describe, expect, it } from "vitest";
import { loginPath, safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it.each([
    "/.//evil.com",
    "/a/..//evil.com",
    "/%2e//evil.com",
    "/./\\evil.com",
    "//evil.com",
    "/\\evil.com",
    "https://evil.com/",
    "javascript:alert(1)",
    "/\tevil",
    "evil.com",
    "/login",
    "",
  ])("refuses %j", (raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });

  it.each([
    ["/sites/wf-1", "/sites/wf-1"],
    ["/sites?kind=store#top", "/sites?kind=store#top"],
    ["/sites/./wf-1", "/sites/wf-1"],
  ])("keeps the same-site path %j", (raw, kept) => {
    expect(safeNextPath(raw)).toBe(kept);
  });

  it("builds the login link back to a page", () => {
    expect(loginPath("/sites")).toBe("/login?next=%2Fsites");
    expect(loginPath("/")).toBe("/login");
  });
});
