import { lookup } from "node:dns/promises";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { AppError } from "@/lib/errors";

// Cluster, data-source and webhook URLs come from users and the server fetches
// them, so they could be aimed at internal services. Cloud metadata endpoints
// are always refused. Private and loopback ranges are refused unless allowed,
// because real edge clusters do live on private networks and the demo on loopback.

export interface UrlPolicy {
  allowPrivateNetworks: boolean;
  allowLoopback: boolean;
  /** which URL schemes this kind of target may use */
  schemes: readonly ("https:" | "http:")[];
}

export type AddressClass = "metadata" | "loopback" | "private" | "unspecified" | "public";

const metadata = new BlockList();
metadata.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, includes 169.254.169.254 (AWS, GCP, Azure, OpenStack)
metadata.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
metadata.addSubnet("fe80::", 10, "ipv6"); // link-local
metadata.addAddress("fd00:ec2::254", "ipv6"); // AWS over IPv6

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

const privateRanges = new BlockList();
privateRanges.addSubnet("10.0.0.0", 8, "ipv4");
privateRanges.addSubnet("172.16.0.0", 12, "ipv4");
privateRanges.addSubnet("192.168.0.0", 16, "ipv4");
privateRanges.addSubnet("100.64.0.0", 10, "ipv4"); // carrier-grade NAT, common on cellular uplinks
privateRanges.addSubnet("fc00::", 7, "ipv6");

const METADATA_HOSTNAMES = new Set([
  "metadata.google.internal",
  "metadata",
  "instance-data",
  "metadata.azure.com",
]);

function unmapIpv4(address: string): string {
  const m = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return m?.[1] ?? address;
}

export function classifyAddress(raw: string): AddressClass {
  const address = unmapIpv4(raw.replace(/^\[|\]$/g, ""));
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  if (address === "0.0.0.0" || address === "::") return "unspecified";
  if (metadata.check(address, family)) return "metadata";
  if (loopback.check(address, family)) return "loopback";
  if (privateRanges.check(address, family)) return "private";
  return "public";
}

function refuse(field: string, message: string): never {
  throw new AppError("url_refused", message, { issues: [{ path: field, message }] });
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks a URL against the policy, resolving host names so a name that points
 * at a forbidden address is refused too. Returns the addresses it resolved.
 */
export async function checkUrl(
  raw: string,
  policy: UrlPolicy,
  opts: { field?: string; resolve?: Resolver } = {},
): Promise<{ url: URL; addresses: string[] }> {
  const field = opts.field ?? "url";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    refuse(field, `"${raw}" is not a valid URL`);
  }
  if (!(policy.schemes as readonly string[]).includes(url.protocol)) {
    refuse(
      field,
      `${url.protocol.replace(":", "")} is not allowed here; use ${policy.schemes.map((s) => s.replace(":", "")).join(" or ")}`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (METADATA_HOSTNAMES.has(host))
    refuse(field, `${host} is a cloud metadata service and is always refused`);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch {
      refuse(field, `cannot resolve host name ${host}`);
    }
  }
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls === "metadata")
      refuse(field, `${address} is a link-local/cloud metadata address and is always refused`);
    if (cls === "unspecified") refuse(field, `${address} is not a routable address`);
    if (cls === "loopback" && !policy.allowLoopback) {
      refuse(
        field,
        `${address} is a loopback address; loopback targets are disabled (OUTPOST_ALLOW_LOOPBACK)`,
      );
    }
    if (cls === "private" && !policy.allowPrivateNetworks) {
      refuse(
        field,
        `${address} is in a private range; private networks are disabled (OUTPOST_ALLOW_PRIVATE_NETWORKS)`,
      );
    }
  }
  return { url, addresses };
}

/**
 * A DNS lookup that always answers with the first address checkUrl accepted,
 * so a name whose answer changes between check and connect (DNS rebinding)
 * cannot steer the connection somewhere the policy refused.
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const address = addresses[0] ?? "";
  const family = address.includes(":") ? 6 : 4;
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    } else callback(null, address, family);
  };
}
