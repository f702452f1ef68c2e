"use client";

import { PageError } from "@/components/shell/page-error";

/** A console page failed: the console layout (and its navigation) stays around the message. */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} />;
}
