import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { roleViewSelect, toRoleView, type RoleView } from "./roles.schemas";

export type ListRolesOptions = {
  db: Database;
  /**
   * Any signed-in principal: the console's key-creation form shows every user the roles, and
   * role names and permissions are not secret.
   */
  principal: Principal;
};

/** Every role, built-in ones included, sorted by name. */
export async function listRoles(options: ListRolesOptions): Promise<RoleView[]> {
  const rows = await options.db.prisma.role.findMany({
    orderBy: { name: "asc" },
    select: roleViewSelect,
  });
  return rows.map(toRoleView);
}
