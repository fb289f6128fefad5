import { isIP } from "node:net";

// What kind of address an IP literal is, in every notation that reaches the
// same host: IPv4 in dotted form (the URL parser has already turned 0x7f.1,
// 2130706433 and 0177.0.0.1 into 127.0.0.1), IPv6, and IPv6 forms that carry an
// IPv4 address inside (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
// NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16): those are judged by
// the IPv4 address they carry, so a refused range stays refused in any spelling.

export type AddressClass = "metadata" | "loopback" | "private" | "unspecified" | "public";

type Range = [network: number[], prefixBits: number];

function v4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** 16 bytes of an IPv6 literal (with or without an embedded dotted IPv4 tail), or null. */
export function ipv6Bytes(text: string): number[] | null {
  let s = text.toLowerCase().replace(/^\[|\]$/g, "");
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const four = v4(s.slice(lastColon + 1));
    if (!four) return null;
    tail = four;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = "", rest] = s.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array.from({ length: rest === undefined ? 0 : missing }, () => "0"), ...right];
  if (all.length !== 8) return null;
  const bytes = all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [(n >> 8) & 0xff, n & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function inRange(bytes: number[], [network, bits]: Range): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((network[byte] ?? 0) & mask)) return false;
  }
  return true;
}

const v4Range = (cidr: string): Range => {
  const [a = "", bits = "32"] = cidr.split("/");
  return [v4(a) ?? [], Number(bits)];
};
const v6Range = (cidr: string): Range => {
  const [a = "", bits = "128"] = cidr.split("/");
  return [ipv6Bytes(a) ?? [], Number(bits)];
};

const V4: Record<Exclude<AddressClass, "public">, Range[]> = {
  // "This network": 0.0.0.0/8 reaches the local host on Linux.
  unspecified: ["0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4"].map(v4Range),
  metadata: [
    "169.254.0.0/16", // link-local, includes 169.254.169.254 (AWS, GCP, Azure, OpenStack)
    "100.100.100.200/32", // Alibaba Cloud
    "168.63.129.16/32", // Azure wire server
  ].map(v4Range),
  loopback: ["127.0.0.0/8"].map(v4Range),
  private: [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10", // carrier-grade NAT, common on cellular uplinks
    "192.0.0.0/24", // IETF protocol assignments
    "198.18.0.0/15", // benchmarking
  ].map(v4Range),
};

const V6: Record<Exclude<AddressClass, "public">, Range[]> = {
  unspecified: ["::/128", "ff00::/8"].map(v6Range),
  metadata: [
    "fe80::/10", // link-local
    "fd00:ec2::254/128", // AWS over IPv6
    "fd20:ce::254/128", // GCP over IPv6
  ].map(v6Range),
  loopback: ["::1/128"].map(v6Range),
  private: ["fc00::/7", "fec0::/10"].map(v6Range),
};

const ORDER: Exclude<AddressClass, "public">[] = ["unspecified", "metadata", "loopback", "private"];

/** The IPv4 address an IPv6 address stands for, when it carries one. */
export function embeddedIpv4(bytes: number[]): number[] | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12); // ::ffff:0:0/96
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && bytes[15] === 1)) return bytes.slice(12); // ::/96
  if (inRange(bytes, v6Range("64:ff9b::/96")) || inRange(bytes, v6Range("64:ff9b:1::/48")))
    return bytes.slice(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 6to4
  return null;
}

function classifyV4(bytes: number[]): AddressClass {
  for (const cls of ORDER) if (V4[cls].some((r) => inRange(bytes, r))) return cls;
  return "public";
}

export function classifyAddress(raw: string): AddressClass {
  const text = raw.replace(/^\[|\]$/g, "");
  const four = v4(text);
  if (four) return classifyV4(four);
  const bytes = ipv6Bytes(text);
  // Not an IP literal at all: nothing to connect to safely.
  if (!bytes) return "unspecified";
  const inner = embeddedIpv4(bytes);
  if (inner) return classifyV4(inner);
  for (const cls of ORDER) if (V6[cls].some((r) => inRange(bytes, r))) return cls;
  return "public";
}

/** An address range: IPv4 CIDRs are held as their IPv4-mapped IPv6 range, so one check covers both spellings. */
export interface Cidr {
  bytes: number[];
  bits: number;
}

function toV6Bytes(text: string): number[] | null {
  const four = v4(text);
  if (four) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...four];
  const bytes = ipv6Bytes(text);
  if (!bytes) return null;
  // ::ffff:a.b.c.d, NAT64 and friends compare as the IPv4 address they carry.
  const inner = embeddedIpv4(bytes);
  return inner ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...inner] : bytes;
}

/** "10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1" → a range, or null when it is none of those. */
export function parseCidr(text: string): Cidr | null {
  const [address = "", bitsText] = text.trim().split("/");
  const bytes = toV6Bytes(address);
  if (!bytes) return null;
  const isV4 = v4(address) !== null;
  const max = isV4 ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { bytes, bits: isV4 ? bits + 96 : bits };
}

export function isInCidr(address: string, cidr: Cidr): boolean {
  const bytes = toV6Bytes(address.replace(/^\[|\]$/g, ""));
  return bytes !== null && inRange(bytes, [cidr.bytes, cidr.bits]);
}

/** The key an address is counted under: IPv6 by its /64 (one subscriber's whole prefix), IPv4 as is. */
export function addressKey(address: string): string {
  const bytes = toV6Bytes(address.replace(/^\[|\]$/g, ""));
  if (!bytes) return address;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return bytes.slice(12).join(".");
  const hex = (i: number) => (((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16);
  return `${[0, 2, 4, 6].map(hex).join(":")}::/64`;
}
