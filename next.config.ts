import type { NextConfig } from "next";

// Headers that are the same for every response, static files included. The
// Content-Security-Policy (nonce per request), X-Frame-Options and HSTS come from
// proxy.ts. The embed zone (/embed/*, /api/embed/*) sends its own headers:
// frame-ancestors = the grant's origins, no-referrer (lib/embed/headers.ts).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // forbidden() answers 403 with app/forbidden.tsx.
  experimental: { authInterrupts: true },
  // `npm run typecheck` is its own CI step; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Embed URLs carry their token in the path: keep them out of the request log.
  logging: { incomingRequests: { ignore: [/^\/embed\//, /^\/api\/embed\//] } },
  // Native addon and Node-only clients stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "@kubernetes/client-node",
  ],
  async headers() {
    return [{ source: "/((?!embed/|api/embed/).*)", headers: securityHeaders }];
  },
};

export default nextConfig;
