import { AppError } from "../errors/app-error";
import { isAdmin, type Permission, type Principal } from "./principal";

/**
 * The one authorization decision, used by every door (REST, tRPC, GraphQL, WebSocket) through
 * the services: does this principal hold this permission? Resource policies (owner_only for
 * user_data, role_based for analytics) narrow further inside the services that own the data.
 */
export function authorize(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw new AppError("forbidden", `This requires the "${permission}" permission.`, {
      required: permission,
    });
  }
}

/**
 * Administration (users, roles, everyone's keys, the audit log, index builds) is for the admin
 * role only, and still within the principal's permissions: the role says who may administer, the
 * permission what this credential may do — an admin's read-only API key reads, it never changes.
 * Hence no admin check without the permission the operation needs.
 */
export function requireAdmin(principal: Principal, permission: Permission): void {
  if (!isAdmin(principal)) throw new AppError("forbidden", "Only administrators can do this.");
  authorize(principal, permission);
}
