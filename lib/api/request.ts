import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { type Cidr, isInCidr, parseCidr } from "@/lib/net/address";

// Who is on the other end of a request. `npm start` (server.mjs) stamps the
// address of the socket that connected into PEER_HEADER, overwriting whatever a
// client sent; X-Forwarded-* count only when that peer is a proxy we were told to
// trust (OUTPOST_TRUST_PROXY), and then the client is the right-most address in
// the chain that is not one of our proxies: everything left of it is the client's
// own claim and could say anything.

export const PEER_HEADER = "x-outpost-peer";

const TRUST_ALL_PRIVATE = [
  "127.0.0.0/8",
  "::1/128",
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "fc00::/7",
];

let cachedFor: string | undefined;
let cached: Cidr[] = [];

/** The reverse proxies we believe: none, "1" (loopback and private ranges), or a list of addresses/CIDRs. */
export function trustedProxies(): Cidr[] {
  const raw = env().OUTPOST_TRUST_PROXY ?? "";
  if (raw === cachedFor) return cached;
  const words = /^(1|true|yes)$/i.test(raw.trim())
    ? TRUST_ALL_PRIVATE
    : /^(|0|false|no)$/i.test(raw.trim())
      ? []
      : raw.split(",");
  cached = words.map((w) => {
    const c = parseCidr(w);
    if (!c) throw new Error(`OUTPOST_TRUST_PROXY: "${w.trim()}" is not an address or CIDR`);
    return c;
  });
  cachedFor = raw;
  return cached;
}

function isTrusted(address: string, proxies: Cidr[]): boolean {
  return proxies.some((c) => isInCidr(address, c));
}

function forwardedChain(req: NextRequest): string[] {
  return (req.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim().replace(/^\[|\]$/g, ""))
    .filter(Boolean);
}

/**
 * The socket peer. Without server.mjs in front (next dev, tests) the best left is the
 * last X-Forwarded-For hop, which Next itself fills from the socket when the client sent none.
 */
function peerOf(req: NextRequest): string {
  return req.headers.get(PEER_HEADER)?.trim() || forwardedChain(req).at(-1) || "unknown";
}

/** The client's address: the right-most hop that is not one of our trusted proxies. */
export function clientAddress(req: NextRequest): string {
  const proxies = trustedProxies();
  const peer = peerOf(req);
  if (proxies.length === 0 || !isTrusted(peer, proxies)) return peer;
  const chain = forwardedChain(req);
  if (req.headers.get(PEER_HEADER)) chain.push(peer);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    if (!isTrusted(hop, proxies)) return hop;
  }
  return chain[0] ?? peer;
}

/** A forwarded header's first value, when the request came through a trusted proxy. */
export function forwarded(req: NextRequest, name: "x-forwarded-proto" | "x-forwarded-host"): string | null {
  const proxies = trustedProxies();
  if (proxies.length === 0 || !isTrusted(peerOf(req), proxies)) return null;
  return req.headers.get(name)?.split(",")[0]?.trim() || null;
}

export function isHttps(req: NextRequest): boolean {
  const configured = env().OUTPOST_PUBLIC_URL;
  if (configured) return configured.startsWith("https:");
  return req.nextUrl.protocol === "https:" || forwarded(req, "x-forwarded-proto") === "https";
}
