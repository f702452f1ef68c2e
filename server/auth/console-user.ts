import { type Database } from "../db/client";
import { AppError } from "../http/app-error";
import { loadPrincipal } from "./load-principal";
import { type Principal } from "./principal";
import { readSessionCookie } from "./session-cookie";

export type ConsoleUser = {
  principal: Principal;
  /** Invited users and reset passwords: nothing else until the password is changed. */
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  /** A role of this user requires MFA and it is not enrolled yet: nothing else until it is. */
  mfaEnrollmentRequired: boolean;
};

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
  const user = await options.db.prisma.user.findUniqueOrThrow({
    where: { id: principal.userId },
    select: {
      mustChangePassword: true,
      mfa: { select: { enabledAt: true } },
      roles: { select: { role: { select: { requireMfa: true } } } },
    },
  });
  const mfaEnabled = Boolean(user.mfa?.enabledAt);
  return {
    principal,
    mustChangePassword: user.mustChangePassword,
    mfaEnabled,
    mfaEnrollmentRequired: !mfaEnabled && user.roles.some(({ role }) => role.requireMfa),
  };
}
