import { notFound } from "next/navigation";

import { env } from "@/server/env";

export const dynamic = "force-dynamic";

/**
 * A console page that fails while rendering on the server, when LAKE_E2E_ERROR_ROUTE is on: no
 * real page can be made to fail on demand, and the error page must be seen in a production build
 * (its digest, its navigation, its ways back). Anywhere else it is not there at all.
 */
export default function DeliberateFailurePage() {
  if (!env().LAKE_E2E_ERROR_ROUTE) notFound();
  throw new Error("A deliberate failure for the error page's end-to-end test.");
}
