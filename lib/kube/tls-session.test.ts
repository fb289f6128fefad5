import { describe, expect, it } from "vitest";
import { type PeerCertificate, TlsSessionCache } from "./tls-session";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const cert = (fingerprint256: string, notAfter = "2027-12-01T10:00:00.000Z"): PeerCertificate => ({
  fingerprint256,
  notBefore: "2026-01-01T00:00:00.000Z",
  notAfter,
  subject: "CN=k3s",
  issuer: "CN=k3s-server-ca@1",
});
const SESSION = Buffer.from("session");

function cache(maxAgeMs = 120_000, known: PeerCertificate | null = null) {
  const clock = { now: T0 };
  const c = new TlsSessionCache({ maxAgeMs }, () => clock.now, known);
  return { c, clock };
}

describe("TLS session cache", () => {
  it("resumes a verified session until it is due a full handshake", () => {
    const { c, clock } = cache();
    expect(c.sessionToResume()).toBeUndefined();
    expect(c.accept(false, cert("AA"))).toBeNull();
    c.store(SESSION);
    clock.now += 60_000;
    expect(c.sessionToResume()).toBe(SESSION);
    expect(c.isDueFullHandshake()).toBe(false);
    clock.now += 60_000;
    // Two minutes after the full handshake: verify the certificate again.
    expect(c.isDueFullHandshake()).toBe(true);
    expect(c.sessionToResume()).toBeUndefined();
  });

  it("refuses a resumed connection once the certificate behind the session has expired", () => {
    const { c, clock } = cache(10 * 60_000);
    c.accept(false, cert("AA", new Date(T0 + 30_000).toISOString()));
    c.store(SESSION);
    clock.now += 31_000;
    expect(c.accept(true, null)).toMatchObject({ code: "CERT_HAS_EXPIRED" });
    expect(c.sessionToResume()).toBeUndefined();
  });

  it("says a verified certificate expired, for connections kept since, but lets a new client try", () => {
    const { c, clock } = cache(10 * 60_000);
    c.accept(false, cert("AA", new Date(T0 + 30_000).toISOString()));
    expect(c.isVerifiedCertExpired()).toBe(false);
    clock.now += 30_000;
    expect(c.isVerifiedCertExpired()).toBe(true);
    const fresh = new TlsSessionCache({}, () => clock.now, cert("AA", new Date(T0 + 30_000).toISOString()));
    expect(fresh.isVerifiedCertExpired()).toBe(false);
  });

  it("notices a different verified certificate once, also against one known from before a restart", () => {
    const { c } = cache(120_000, cert("AA"));
    expect(c.accept(false, cert("AA"))).toBeNull();
    expect(c.takeChange()).toBeNull();
    c.accept(false, cert("BB"));
    expect(c.takeChange()).toMatchObject({
      previous: { fingerprint256: "AA" },
      current: { fingerprint256: "BB" },
    });
    expect(c.takeChange()).toBeNull();
    expect(c.certificate()?.fingerprint256).toBe("BB");
  });

  it("keeps no session it cannot vouch for", () => {
    const { c } = cache();
    c.store(SESSION);
    expect(c.sessionToResume()).toBeUndefined();
  });
});
