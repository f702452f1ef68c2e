import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { type Permission, type Principal } from "./principal";

export type LoadPrincipalOptions = {
  db: Database;
  userId: string;
  via: Principal["via"];
  /** Narrows the roles' permissions (an API key's or a token's scopes). */
  scopes?: readonly Permission[];
  apiKeyId?: string;
  /**
   * For every credential that stands for a signed-in session (console cookies, tokens from email
   * + password): the version it was issued under. It ends when the user's version has moved on —
   * password change, disabled account, password or MFA reset. API keys are not sessions.
   */
  sessionVersion?: number;
};

/**
 * The principal for a user as it is *now*: roles read on every request, so a role change or a
 * disabled account takes effect at once for sessions, tokens and keys alike.
 */
export async function loadPrincipal(options: LoadPrincipalOptions): Promise<Principal> {
  const user = await options.db.prisma.user.findUnique({
    relationLoadStrategy: "join",
    where: { id: options.userId },
    select: {
      id: true,
      email: true,
      disabledAt: true,
      sessionVersion: true,
      roles: { select: { role: { select: { name: true, permissions: true } } } },
    },
  });
  const stale =
    options.sessionVersion !== undefined && options.sessionVersion !== user?.sessionVersion;
  if (!user || user.disabledAt || stale)
    throw new AppError("unauthorized", "Authentication required.");

  const granted = new Set(user.roles.flatMap(({ role }) => role.permissions));
  const permissions = options.scopes
    ? new Set(options.scopes.filter((scope) => granted.has(scope)))
    : granted;
  return {
    userId: user.id,
    email: user.email,
    roles: user.roles.map(({ role }) => role.name).sort(),
    permissions,
    via: options.via,
    apiKeyId: options.apiKeyId,
  };
}
