"use client";

import Link from "next/link";
import { useEffect } from "react";

import { Button, buttonProps } from "@/components/ui/button";

import { StatusPage } from "./status-page";

/** Next passes what was thrown as-is; only a server error carries a digest to quote. */
function digestOf(error: unknown): string | undefined {
  if (error instanceof Error && "digest" in error && typeof error.digest === "string") {
    return error.digest;
  }
  return undefined;
}

/**
 * What an error boundary shows. The message itself is not shown: in production a server error's
 * is generic, and a client error's may be an internal detail; the digest matches the server log.
 */
export function PageError({
  error,
  retry,
  standalone = false,
}: {
  error: unknown;
  /** Re-fetches and re-renders the failed segment (Next's error boundary `retry`). */
  retry: () => void;
  standalone?: boolean;
}) {
  const digest = digestOf(error);

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <StatusPage
      code="Error"
      title="Something went wrong"
      standalone={standalone}
      data-testid="page-error"
      description={
        <>
          <p>This page could not be shown. Trying again often helps if the cause was brief.</p>
          {digest && (
            <p>
              If it keeps happening, give your administrator this reference: <code>{digest}</code>
            </p>
          )}
        </>
      }
      actions={
        <>
          <Button variant="primary" onClick={retry}>
            Try again
          </Button>
          <Link href="/" {...buttonProps("secondary")}>
            Back to the dashboard
          </Link>
        </>
      }
    />
  );
}
