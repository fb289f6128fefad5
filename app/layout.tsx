import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Outpost", template: "%s · Outpost" },
  description: "Control center for fleets of edge k3s clusters",
};

export const viewport: Viewport = { colorScheme: "dark", themeColor: "#0b0f14" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
