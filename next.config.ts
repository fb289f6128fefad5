import type { NextConfig } from "next";

// Pages may only be framed by Outpost itself. The embed zone (/embed/*, /api/embed/*)
// sends its own headers: frame-ancestors = the grant's origins, no-referrer (lib/embed/headers.ts).
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'self'" },
  { key: "X-Frame-Options", value: "SAMEORIGIN" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
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
