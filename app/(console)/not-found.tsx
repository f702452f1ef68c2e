import type { Metadata } from "next";

import { PageNotFound } from "@/components/shell/page-not-found";

export const metadata: Metadata = { title: "Page not found" };

/** notFound() from a console page: the console layout (and its navigation) stays around it. */
export default function ConsoleNotFound() {
  return <PageNotFound signedIn />;
}
