import "server-only";
import type { TLSSocket } from "node:tls";

// TLS session reuse for one cluster, with the certificate kept in view.
//
// Resuming a TLS session skips the certificate: the server presents none and
// Node reports none, so a client that only resumes never notices that the
// server's certificate expired or was replaced (seen in the field: an expired
// `tls-broken` cluster stayed fresh for minutes). So this cache remembers the
// certificate of the full handshake that created the session, refuses a
// resumed connection once that certificate has expired, and stops resuming
// `maxAgeMs` after the last full handshake, which bounds how long a
// replacement can go unseen.

export interface SessionPolicy {
  /** a full handshake (certificate verified again) at least this often */
  maxAgeMs: number;
}

/** Two minutes: a replaced or expired certificate shows within about two minutes and one poll. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { maxAgeMs: 2 * 60_000 };

export interface PeerCertificate {
  /** SHA-256 fingerprint, as Node prints it (AB:CD:…) */
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  subject: string;
  issuer: string;
}

/** What is kept of a certificate between restarts: enough to notice it changed or expired. */
export type KnownCertificate = Pick<PeerCertificate, "fingerprint256" | "notAfter">;

export interface CertificateChange {
  previous: KnownCertificate;
  current: PeerCertificate;
}

export function peerCertificateOf(socket: TLSSocket): PeerCertificate | null {
  const x509 = socket.getPeerX509Certificate?.();
  if (!x509) return null;
  return {
    fingerprint256: x509.fingerprint256,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    subject: x509.subject.replaceAll("\n", ", "),
    issuer: x509.issuer.replaceAll("\n", ", "),
  };
}

function expiredError(cert: KnownCertificate): Error {
  return Object.assign(new Error(`certificate has expired (${cert.notAfter})`), {
    code: "CERT_HAS_EXPIRED",
  });
}

export class TlsSessionCache {
  private readonly policy: SessionPolicy;
  private session: Buffer | undefined;
  private cert: KnownCertificate | null;
  private fullHandshakeAt = Number.NEGATIVE_INFINITY;
  private change: CertificateChange | null = null;

  constructor(
    policy: Partial<SessionPolicy> | undefined,
    private readonly now: () => number,
    known: KnownCertificate | null,
  ) {
    this.policy = { ...DEFAULT_SESSION_POLICY, ...policy };
    this.cert = known;
  }

  /** The session to offer on a new connection, or none when the certificate is due a look. */
  sessionToResume(): Buffer | undefined {
    if (!this.session) return undefined;
    if (this.isDueFullHandshake() || this.isCertExpired()) {
      this.session = undefined;
      return undefined;
    }
    return this.session;
  }

  /** Whether connections still open should be closed so the next one verifies the certificate. */
  isDueFullHandshake(): boolean {
    return this.now() - this.fullHandshakeAt >= this.policy.maxAgeMs;
  }

  store(session: Buffer): void {
    // Only sessions of a verified certificate are worth resuming.
    if (this.cert && Number.isFinite(this.fullHandshakeAt)) this.session = session;
  }

  /**
   * Called once TLS is up on a new connection. A full handshake was verified by
   * Node against the kubeconfig's CA: record what was presented. A resumed one
   * is accepted only while the certificate behind the session is valid.
   */
  accept(isResumed: boolean, presented: PeerCertificate | null): Error | null {
    if (isResumed) {
      if (this.cert && this.isCertExpired()) {
        this.session = undefined;
        return expiredError(this.cert);
      }
      return null;
    }
    this.fullHandshakeAt = this.now();
    if (!presented) return null;
    if (this.cert && this.cert.fingerprint256 !== presented.fingerprint256)
      this.change = { previous: this.cert, current: presented };
    this.cert = presented;
    // Node verified the chain at connect time; belt and braces for a clock that moved since.
    if (this.isCertExpired()) {
      this.session = undefined;
      return expiredError(presented);
    }
    return null;
  }

  certificate(): KnownCertificate | null {
    return this.cert;
  }

  /** A verified certificate different from the one seen before (renewed), once. */
  takeChange(): CertificateChange | null {
    const change = this.change;
    this.change = null;
    return change;
  }

  forget(): void {
    this.session = undefined;
  }

  /**
   * The certificate this client verified is now past its notAfter: connections
   * kept alive since would go on using it, so every request checks this. (A new
   * client has verified nothing yet and must try a handshake: the server may
   * present a renewed certificate by now.)
   */
  isVerifiedCertExpired(): boolean {
    return Number.isFinite(this.fullHandshakeAt) && this.isCertExpired();
  }

  private isCertExpired(): boolean {
    return this.cert !== null && this.now() >= Date.parse(this.cert.notAfter);
  }
}
