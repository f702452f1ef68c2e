import { type Database } from "../db/client";
import { loadAccountGate, type AccountGate } from "./account-gate";
import { AppError } from "../errors/app-error";
import { loadPrincipal } from "./load-principal";
import { type Principal } from "./principal";
import { readSessionCookie } from "./session-cookie";

export type ConsoleUser = AccountGate & { principal: Principal };

/** The signed-in console user behind a request's session cookie, or null (signed out or ended). */
export async function getConsoleUser(options: {
  db: Database;
  headers: Headers;
}): Promise<ConsoleUser | null> {
  const session = await readSessionCookie(options.headers);
  if (!session) return null;
  const principal = await loadPrincipal({
    db: options.db,
    userId: session.userId,
    via: "session",
    sessionVersion: session.sessionVersion,
  }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "unauthorized") return null;
    throw error;
  });
  if (!principal) return null;
  const gate = await loadAccountGate(options.db, principal.userId);
  return { principal, ...gate };
}
