import "server-only";
import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { AppError } from "@/lib/errors";
import { classifyAddress } from "./address";

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

export { type AddressClass, classifyAddress } from "./address";

const METADATA_HOSTNAMES = new Set([
  "metadata.google.internal",
  "metadata",
  "instance-data",
  "metadata.azure.com",
]);

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
  // A password in a URL ends up in logs, histories and Referer headers; the target's own
  // authentication fields keep it encrypted.
  if (url.username || url.password)
    refuse(field, "credentials in the URL (user:password@) are not allowed; use the authentication fields");
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
    if (cls === "unspecified")
      refuse(
        field,
        `${address} is not a routable address (unspecified, "this network", multicast or reserved)`,
      );
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
