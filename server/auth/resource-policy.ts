import type { ResourcePolicy } from "../db/generated/enums";
import { AppError } from "../errors/app-error";
import { authorize } from "./authorize";
import { isAdmin, type Permission, type Principal } from "./principal";

export type { ResourcePolicy };

/**
 * The seed's resource policies, decided here for every door:
 * - `user_data` is owner_only: a principal reads and changes only its own records; an admin
 *   sees and manages all of them (support, erasure requests). Another owner's record is
 *   "not found", never "forbidden", so its existence does not leak.
 * - `analytics` is role_based: any principal whose roles grant the permission may act on any
 *   record of the dataset (shared, aggregated data).
 * The role permission (read/write/delete) is always required first.
 */
export function recordOwnerScope(
  principal: Principal,
  policy: ResourcePolicy,
  permission: Permission,
): { ownerId: string } | Record<string, never> {
  authorize(principal, permission);
  if (policy === "user_data" && !isAdmin(principal)) return { ownerId: principal.userId };
  return {};
}

/** For one record already loaded: throws 404 when the policy hides it from this principal. */
export function assertRecordAccess(
  principal: Principal,
  policy: ResourcePolicy,
  permission: Permission,
  record: { ownerId: string },
): void {
  const scope = recordOwnerScope(principal, policy, permission);
  if ("ownerId" in scope && scope.ownerId !== record.ownerId) {
    throw new AppError("not_found", "The record was not found.");
  }
}
