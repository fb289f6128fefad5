import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Outpost", template: "%s · Outpost" },
  description: "Control center for fleets of edge k3s clusters",
};

export const viewport: Viewport = { colorScheme: "dark", themeColor: "#0b0f14" };

// Rendered per request: the CSP nonce (proxy.ts) is new every time, and Next.js can only
// put it on the scripts of pages it renders now, never on prerendered ones.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
