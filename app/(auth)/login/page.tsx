import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { SignInForm, type SignInNotice } from "@/components/auth/sign-in-form";
import { getConsoleUser } from "@/server/auth/console-user";
import { database } from "@/server/db/client";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const NOTICES = new Set<SignInNotice>(["password-changed", "signed-out"]);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Only a path on this site: an absolute URL here would make the form an open redirect. */
function safeCallbackUrl(value: string | undefined): string | undefined {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return undefined;
  }
  return value;
}

/** A database outage is no reason to hide the form: the sign-in itself will report it. */
async function signedIn(): Promise<boolean> {
  // Outside the try: headers() marks the page dynamic, and that signal must not be caught.
  const requestHeaders = await headers();
  try {
    return (await getConsoleUser({ db: database(), headers: requestHeaders })) !== null;
  } catch {
    return false;
  }
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  // Already signed in: the form would only sign in again.
  if (await signedIn()) redirect("/");

  const params = await searchParams;
  const message = first(params.message);
  return (
    <SignInForm
      notice={NOTICES.has(message as SignInNotice) ? (message as SignInNotice) : undefined}
      callbackUrl={safeCallbackUrl(first(params.callbackUrl))}
    />
  );
}
