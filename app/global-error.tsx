"use client";

// The root layout failed, so this replaces it: its own document, and the styles and font the
// root layout would have loaded.
import "@fontsource-variable/inter";
import "./globals.css";

import { PageError } from "@/components/shell/page-error";

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Something went wrong · Datapunk Lake</title>
        <PageError error={error} retry={retry} standalone />
      </body>
    </html>
  );
}
