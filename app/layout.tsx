import "@fontsource-variable/inter";
import "./globals.css";

import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: { template: "%s · Datapunk Lake", default: "Datapunk Lake" },
  description:
    "Datapunk Lake console: browse, import, query and administer the central data repository of the Datapunk ecosystem.",
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }] },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

/**
 * Every page renders per request: the Content-Security-Policy allows only scripts carrying that
 * response's nonce (server/doors/rest/security-headers.ts), and a page prerendered at build time
 * would carry none, so its scripts would not run.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
