import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { checkUrl, classifyAddress, pinnedLookup, type UrlPolicy } from "./url-policy";

const strict: UrlPolicy = { allowLoopback: false, allowPrivateNetworks: false, schemes: ["https:"] };
const edge: UrlPolicy = { allowLoopback: true, allowPrivateNetworks: true, schemes: ["https:"] };

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError && err.code === "url_refused") return err.message;
    throw err;
  }
  throw new Error("expected refusal");
}

describe("url policy", () => {
  it.each([
    ["169.254.169.254", "metadata"],
    ["::ffff:169.254.169.254", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["10.20.30.40", "private"],
    ["172.31.0.1", "private"],
    ["192.168.1.1", "private"],
    ["100.64.1.1", "private"],
    ["fd12::1", "private"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["::ffff:0:0", "unspecified"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["::ffff:7f00:1", "loopback"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b:1::a00:1", "private"],
    ["2002:a9fe:a9fe::1", "metadata"],
    ["2002:c0a8:101::1", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["168.63.129.16", "metadata"],
    ["fd20:ce::254", "metadata"],
    ["fe80::1%eth0", "metadata"],
    ["224.0.0.1", "unspecified"],
    ["255.255.255.255", "unspecified"],
    ["2001:4860:4860::8888", "public"],
    ["64:ff9b::808:808", "public"],
  ])("classifies %s as %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it("always refuses metadata addresses, even when private networks are allowed", async () => {
    expect(await refusal(checkUrl("https://169.254.169.254/latest", edge))).toContain("metadata");
    expect(await refusal(checkUrl("https://metadata.google.internal/", edge))).toContain("metadata");
  });

  // Every spelling of a refused address the URL parser accepts reaches the same host.
  it.each([
    ["https://0/", "not a routable"],
    ["https://0x0/", "not a routable"],
    ["https://0.0.0.0:6443/", "not a routable"],
    ["https://[::]/", "not a routable"],
    ["https://[::ffff:0:0]/", "not a routable"],
    ["https://[::ffff:0.0.0.0]/", "not a routable"],
    ["https://[0:0:0:0:0:ffff:0:1]/", "not a routable"],
    ["https://2130706433/", "loopback"],
    ["https://0177.0.0.1/", "loopback"],
    ["https://0x7f.1/", "loopback"],
    ["https://[::ffff:127.0.0.1]/", "loopback"],
    ["https://[64:ff9b::7f00:1]/", "loopback"],
    ["https://[::ffff:169.254.169.254]/", "metadata"],
    ["https://[64:ff9b::169.254.169.254]/", "metadata"],
    ["https://168.63.129.16/", "metadata"],
    ["https://[fd20:ce::254]/", "metadata"],
    ["https://[::ffff:a00:1]/", "private"],
    ["https://[64:ff9b::192.168.1.1]/", "private"],
  ])("refuses %s (%s) under the strict policy", async (url, why) => {
    expect(await refusal(checkUrl(url, strict))).toContain(why);
  });

  it("refuses 0.0.0.0/8 and metadata in mapped forms even when loopback and private are allowed", async () => {
    for (const url of ["https://[::ffff:0:0]/", "https://0.0.0.1/", "https://[64:ff9b::a9fe:a9fe]/"])
      expect(await refusal(checkUrl(url, edge))).toMatch(/not a routable|metadata/);
  });

  it("refuses credentials inside the URL", async () => {
    expect(await refusal(checkUrl("https://admin:hunter2@8.8.8.8/", strict))).toContain("credentials");
    expect(await refusal(checkUrl("https://token@8.8.8.8/", strict))).toContain("credentials");
  });

  it("refuses names that resolve to forbidden addresses", async () => {
    const resolve = async () => ["10.0.0.1", "169.254.169.254"];
    expect(await refusal(checkUrl("https://innocent.example/", edge, { resolve }))).toContain(
      "169.254.169.254",
    );
  });

  it("refuses loopback and private ranges unless allowed", async () => {
    expect(await refusal(checkUrl("https://127.0.0.1:7443", strict))).toContain("OUTPOST_ALLOW_LOOPBACK");
    expect(await refusal(checkUrl("https://10.1.1.1:6443", strict))).toContain(
      "OUTPOST_ALLOW_PRIVATE_NETWORKS",
    );
    await expect(checkUrl("https://127.0.0.1:7443", edge)).resolves.toMatchObject({
      addresses: ["127.0.0.1"],
    });
    await expect(checkUrl("https://10.1.1.1:6443", edge)).resolves.toMatchObject({ addresses: ["10.1.1.1"] });
  });

  it("refuses schemes the target kind does not allow", async () => {
    expect(await refusal(checkUrl("http://8.8.8.8", strict))).toContain("use https");
    expect(await refusal(checkUrl("file:///etc/passwd", strict))).toContain("not allowed");
    expect(await refusal(checkUrl("not a url", strict))).toContain("not a valid URL");
  });

  it("pins connections to the checked address whatever name is looked up", async () => {
    const lookup = pinnedLookup(["10.2.3.4"]);
    const single = await new Promise((resolve) =>
      lookup("rebinding.example", {}, (_e, address, family) => resolve({ address, family })),
    );
    expect(single).toEqual({ address: "10.2.3.4", family: 4 });
    const all = await new Promise((resolve) =>
      lookup("other.example", { all: true }, (_e, addresses) => resolve(addresses)),
    );
    expect(all).toEqual([{ address: "10.2.3.4", family: 4 }]);
    const v6 = await new Promise((resolve) =>
      pinnedLookup(["fd00::1"])("x", {}, (_e, a, f) => resolve([a, f])),
    );
    expect(v6).toEqual(["fd00::1", 6]);
  });
});
