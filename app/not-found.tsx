import type { Metadata } from "next";
import { headers } from "next/headers";

import { ConsoleShell } from "@/components/shell/console-shell";
import { navSectionsFor } from "@/components/shell/nav-items";
import { PageNotFound } from "@/components/shell/page-not-found";
import { getConsoleUser } from "@/server/auth/console-user";
import { isAdmin } from "@/server/auth/principal";
import { database } from "@/server/db/client";

export const metadata: Metadata = { title: "Page not found" };

/** A database outage is no reason to turn a 404 into a 500: the page then shows signed out. */
async function signedInUser() {
  // Outside the try: headers() marks the page dynamic, and that signal must not be caught.
  const requestHeaders = await headers();
  try {
    return await getConsoleUser({ db: database(), headers: requestHeaders });
  } catch {
    return null;
  }
}

/**
 * Every unmatched URL. A signed-in user keeps the console's navigation around it; anyone else
 * gets the branded page with a way to sign in.
 */
export default async function NotFound() {
  const user = await signedInUser();
  if (!user) return <PageNotFound signedIn={false} />;
  return (
    <ConsoleShell
      email={user.principal.email}
      sections={navSectionsFor({
        admin: isAdmin(user.principal),
        permissions: user.principal.permissions,
      })}
    >
      <PageNotFound signedIn />
    </ConsoleShell>
  );
}
