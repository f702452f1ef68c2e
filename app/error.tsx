"use client";

import { PageError } from "@/components/shell/page-error";

/**
 * A failure outside a console page: the sign-in page, or the console layout itself (the session
 * lookup), so no navigation can be drawn — the branded page stands alone.
 */
export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} standalone />;
}
