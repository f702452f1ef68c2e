import type { ApiKey, Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { requireAdmin } from "../authorize";
import { isAdmin, type Permission, type Principal } from "../principal";

/** The union of the roles' permissions: what their holder may grant a key. */
export function permissionsOfRoles(
  roles: readonly { role: { permissions: readonly Permission[] } }[],
): Set<Permission> {
  return new Set(roles.flatMap(({ role }) => role.permissions));
}

/**
 * The one rule for whether a key still works: not revoked, not expired, and not rotated past its
 * grace period. Checked for a presented key and for a token exchanged for one.
 */
export function isKeyLive(
  key: Pick<ApiKey, "revokedAt" | "expiresAt" | "graceUntil">,
  now: Date,
): boolean {
  if (key.revokedAt) return false;
  if (key.expiresAt && key.expiresAt <= now) return false;
  return !(key.graceUntil && key.graceUntil <= now);
}

/**
 * The key when the principal may change it (rotate, revoke): its owner, or an admin with the write
 * permission. Anyone else gets the same not_found as for a key that does not exist, so key ids
 * cannot be probed across users.
 */
export async function findManageableApiKey(
  prisma: Prisma.TransactionClient,
  principal: Principal,
  keyId: string,
): Promise<ApiKey> {
  const key = await prisma.apiKey.findUnique({ where: { id: keyId } });
  if (!key || (key.userId !== principal.userId && !isAdmin(principal))) {
    throw new AppError("not_found", "The API key was not found.");
  }
  // Someone else's key: that is administration.
  if (key.userId !== principal.userId) requireAdmin(principal, "write");
  return key;
}
