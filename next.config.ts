import type { NextConfig } from "next";

// Headers that are the same for every response, static files included. The
// Content-Security-Policy (nonce per request), X-Frame-Options and HSTS come from
// proxy.ts; /embed/* sets its own frame-ancestors.
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
  // Native addon and Node-only clients stay outside the server bundle.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "@kubernetes/client-node",
  ],
  async headers() {
    return [{ source: "/(.*)", headers: securityHeaders }];
  },
};

export default nextConfig;
