import Link from "next/link";

import { buttonProps } from "@/components/ui/button";

import { StatusPage } from "./status-page";

/** The 404 page: inside the shell for a signed-in user, standalone with a way to sign in otherwise. */
export function PageNotFound({ signedIn }: { signedIn: boolean }) {
  return (
    <StatusPage
      code="404"
      title="Page not found"
      standalone={!signedIn}
      data-testid="not-found"
      description={
        <p>
          There is no page at this address. It may have moved, or the link that brought you here has
          a typo.
        </p>
      }
      actions={
        signedIn ? (
          <>
            <Link href="/" {...buttonProps("primary")}>
              Back to the dashboard
            </Link>
            <Link href="/data" {...buttonProps("secondary")}>
              Browse data
            </Link>
          </>
        ) : (
          <Link href="/login" {...buttonProps("primary")}>
            Sign in
          </Link>
        )
      }
    />
  );
}
