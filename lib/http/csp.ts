// The one Content-Security-Policy builder. Pages get it from proxy.ts with a fresh
// nonce per request; /embed/* (the embedding issue) calls it with the origins a
// grant may be framed by. Pure: no server imports, so the proxy can load it.

export interface CspOptions {
  /** per-request nonce; Next.js puts it on its own scripts (it reads it back from this header) */
  nonce: string;
  /** who may frame the page: none by default; an embed grant's portal origins for /embed/* */
  frameAncestors?: readonly string[];
  /** next dev needs eval for its error overlay and React's debug stacks */
  isDev?: boolean;
  /** served over https: ask browsers to upgrade stray http sub-resources */
  isHttps?: boolean;
}

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** An origin fit for frame-ancestors: scheme://host[:port], nothing else (no wildcards, paths, quotes). */
export function isFrameAncestor(origin: string): boolean {
  try {
    const u = new URL(origin);
    const isHost = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(u.hostname);
    return (u.protocol === "https:" || u.protocol === "http:") && isHost && u.origin === origin;
  } catch {
    return false;
  }
}

export function contentSecurityPolicy(o: CspOptions): string {
  const ancestors = (o.frameAncestors ?? []).filter(isFrameAncestor);
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // 'strict-dynamic': scripts with the nonce may load the chunks they need; nothing else runs.
    ["script-src", `'nonce-${o.nonce}'`, "'strict-dynamic'", ...(o.isDev ? ["'unsafe-eval'"] : [])],
    // Inline style attributes (charts, progress bars) carry no script; styles from elsewhere do not load.
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...(o.isDev ? ["ws:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", ...(ancestors.length > 0 ? ancestors : ["'none'"])],
  ];
  if (o.isHttps) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}

/** For JSON answers: nothing may load, nobody may frame. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Two years, as the HSTS preload list asks; only ever sent over https. */
export const HSTS = "max-age=63072000; includeSubDomains";
