// Allowed origins of a grant: the portals that may frame it. Each is an
// http(s) origin (scheme, host, optional port) or a subdomain wildcard
// (`https://*.example.com`), exactly what CSP `frame-ancestors` understands,
// normalised so the header can never carry anything but origins.

const WILDCARD = "*.";
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export type OriginCheck = { ok: true; origin: string } | { ok: false; message: string };

export function normalizeOrigin(input: string): OriginCheck {
  const text = input.trim();
  if (text === "") return { ok: false, message: "is empty" };
  if (/[\s;,'"]/.test(text))
    return { ok: false, message: "an origin has no spaces, quotes, commas or semicolons" };
  const m = text.match(/^(https?):\/\/(\*\.)?([^/?#]+)\/?$/i);
  if (!m)
    return { ok: false, message: "only an origin like https://portal.example.com (http or https, no path)" };
  const scheme = (m[1] ?? "").toLowerCase();
  const isWildcard = Boolean(m[2]);
  let url: URL;
  try {
    url = new URL(`${scheme}://${m[3]}`);
  } catch {
    return { ok: false, message: "is not a valid origin" };
  }
  if (url.username || url.password) return { ok: false, message: "an origin has no user name or password" };
  const host = url.hostname;
  // IDNs arrive as punycode; IPv6 literals keep their brackets.
  if (!host.startsWith("[") && !host.split(".").every((l) => HOST_LABEL.test(l)))
    return { ok: false, message: "the host name may contain letters, digits, dots and dashes only" };
  if (isWildcard) {
    const labels = host.split(".");
    // "*.com" would hand the embed to every .com site.
    if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)))
      return {
        ok: false,
        message: "a wildcard needs a domain with at least two labels, like https://*.example.com",
      };
  }
  const origin = `${scheme}://${isWildcard ? WILDCARD : ""}${url.host}`;
  return { ok: true, origin };
}

/** Does a concrete origin (e.g. from a Referer) match one of the allowed ones (CSP host-source rules)? */
export function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const concrete = url.origin;
  for (const a of allowed) {
    if (a === concrete) return true;
    const w = a.match(/^(https?):\/\/\*\.(.+)$/);
    if (!w) continue;
    const [, scheme, rest] = w;
    if (`${scheme}:` !== url.protocol) continue;
    // `*.example.com` matches sub.example.com (any depth) on the same port, not example.com itself.
    const suffix = `.${rest}`;
    if (url.host.endsWith(suffix) && url.host.length > suffix.length) return true;
  }
  return false;
}

/** The one header value that lets exactly these origins frame a response. */
export function frameAncestors(allowed: readonly string[]): string {
  return allowed.length === 0 ? "frame-ancestors 'none'" : `frame-ancestors ${allowed.join(" ")}`;
}
