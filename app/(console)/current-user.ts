import { headers } from "next/headers";
import { cache } from "react";

import { getConsoleUser } from "@/server/auth/console-user";
import { database } from "@/server/db/client";

/** The signed-in console user, looked up once per request for all layouts and pages. */
export const currentUser = cache(async () => {
  // headers() first: it marks the page dynamic before anything reaches for the database.
  const requestHeaders = await headers();
  return getConsoleUser({ db: database(), headers: requestHeaders });
});
