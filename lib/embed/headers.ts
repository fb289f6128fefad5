import { frameAncestors } from "./origins";

// Response headers of the embed zone (/embed/*, /api/embed/*). Nothing here
// sets a cookie; the main app's headers (next.config.ts) skip these paths so
// that only the grant's origins may frame an embed page.

const COMMON: Record<string, string> = {
  "referrer-policy": "no-referrer",
  "cache-control": "no-store, max-age=0",
  "x-content-type-options": "nosniff",
  "x-robots-tag": "noindex, nofollow",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** An embed page: only our nonce'd style and script; framed only by `ancestors`. */
export function pageHeaders(nonce: string, ancestors: readonly string[]): Record<string, string> {
  return {
    ...COMMON,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      frameAncestors(ancestors),
    ].join("; "),
  };
}

/** A refresh fragment (fetched by the frame script, never framed). */
export function fragmentHeaders(): Record<string, string> {
  return {
    ...COMMON,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "cross-origin-resource-policy": "same-origin",
    "x-embed-fragment": "1",
  };
}

/** JSON or CSV of the data route. */
export function dataHeaders(contentType: string): Record<string, string> {
  return {
    ...COMMON,
    "content-type": contentType,
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "cross-origin-resource-policy": "same-origin",
  };
}
