// Minimal X.509 issuance for the simulator. Hand-rolled DER keeps certificate
// generation synchronous and dependency-free: 2,000 clusters need ~8,000
// certificates at startup, and node:crypto signs P-256 natively.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from "node:crypto";

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface IssuedCert {
  /** PEM certificate */
  cert: string;
  /** PEM PKCS#8 private key */
  key: string;
  keyPair: KeyPair;
  subject: string;
  notAfter: Date;
}

export interface CertRequest {
  commonName: string;
  organization?: string;
  isCa?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: "ca" | "server" | "client";
  notBefore: Date;
  notAfter: Date;
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  let rest = length;
  while (rest > 0) {
    bytes.unshift(rest & 0xff);
    rest >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const first = parts[0] ?? 0;
  const second = parts[1] ?? 0;
  const bytes: number[] = [first * 40 + second];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    let rest = Math.floor(part / 128);
    while (rest > 0) {
      chunk.unshift((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function positiveInteger(bytes: Buffer): Buffer {
  // DER wants the minimal encoding (OpenSSL rejects a redundant leading zero, which a random
  // serial has 1 time in 256) and a leading zero byte when the high bit is set.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const normalized = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, normalized);
}

const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));

function derTime(date: Date): Buffer {
  const iso = date.toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  // RFC 5280: UTCTime through 2049, GeneralizedTime afterwards.
  return year < 2050
    ? tlv(0x17, Buffer.from(compact.slice(2), "ascii"))
    : tlv(0x18, Buffer.from(compact, "ascii"));
}

function name(commonName: string, organization?: string): Buffer {
  const rdns: Buffer[] = [];
  if (organization) rdns.push(set(seq(oid("2.5.4.10"), utf8(organization))));
  rdns.push(set(seq(oid("2.5.4.3"), utf8(commonName))));
  return seq(...rdns);
}

function extension(id: string, isCritical: boolean, value: Buffer): Buffer {
  const parts = [oid(id)];
  if (isCritical) parts.push(tlv(0x01, Buffer.from([0xff])));
  parts.push(tlv(0x04, value));
  return seq(...parts);
}

function ipBytes(ip: string): Buffer {
  return Buffer.from(ip.split(".").map(Number));
}

const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

export function generateKeyPair(): KeyPair {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

export function issueCert(request: CertRequest, keyPair: KeyPair, issuer?: IssuedCert): IssuedCert {
  const subjectName = name(request.commonName, request.organization);
  const issuerName = issuer ? issuerNameOf(issuer) : subjectName;
  const signingKey = issuer ? issuer.keyPair.privateKey : keyPair.privateKey;
  const spki = keyPair.publicKey.export({ type: "spki", format: "der" });

  const extensions: Buffer[] = [];
  if (request.usage === "ca") {
    extensions.push(extension("2.5.29.19", true, seq(tlv(0x01, Buffer.from([0xff])))));
    // keyUsage: digitalSignature + keyCertSign + cRLSign
    extensions.push(extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x01, 0x86]))));
  } else {
    extensions.push(extension("2.5.29.19", true, seq()));
    // keyUsage: digitalSignature + keyEncipherment
    extensions.push(extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x05, 0xa0]))));
    const eku = request.usage === "server" ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
    extensions.push(extension("2.5.29.37", false, seq(oid(eku))));
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((dns) => tlv(0x82, Buffer.from(dns, "ascii"))),
    ...(request.ipAddresses ?? []).map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (altNames.length > 0) extensions.push(extension("2.5.29.17", false, seq(...altNames)));

  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    positiveInteger(randomBytes(16)),
    ECDSA_SHA256,
    issuerName,
    seq(derTime(request.notBefore), derTime(request.notAfter)),
    subjectName,
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign("sha256", tbs, signingKey);
  const der = seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = `-----BEGIN CERTIFICATE-----\n${der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd()}\n-----END CERTIFICATE-----\n`;
  const issued: IssuedCert = {
    cert,
    key: keyPair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    keyPair,
    subject: request.commonName,
    notAfter: request.notAfter,
  };
  issuerNames.set(issued, subjectName);
  return issued;
}

const issuerNames = new WeakMap<IssuedCert, Buffer>();

function issuerNameOf(issuer: IssuedCert): Buffer {
  return issuerNames.get(issuer) ?? name(issuer.subject);
}

export function keyPairFromPem(privatePem: string): KeyPair {
  const privateKey = createPrivateKey(privatePem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const DAY_MS = 86_400_000;

export function createCa(commonName: string, now: Date): IssuedCert {
  return issueCert(
    {
      commonName,
      usage: "ca",
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    },
    generateKeyPair(),
  );
}
