// `next` comes from the query string, i.e. from whoever wrote the link: only
// same-site relative paths survive, everything else falls back to the fleet page.
export function safeNextPath(raw: unknown, fallback = "/"): string {
  if (typeof raw !== "string" || raw === "") return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  // Control characters and backslashes let browsers reinterpret the path as a host.
  for (const ch of raw) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === "\\") return fallback;
  }
  try {
    const url = new URL(raw, "http://outpost.invalid");
    if (url.origin !== "http://outpost.invalid") return fallback;
    if (url.pathname === "/login") return fallback;
    // Dot segments normalise away: "/.//evil.com" and "/a/..//evil.com" become "//evil.com",
    // which a browser reads as another host. Judge the path that will be sent, not the input.
    if (url.pathname.startsWith("//") || url.pathname.startsWith("/\\")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export function loginPath(next: string): string {
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}
