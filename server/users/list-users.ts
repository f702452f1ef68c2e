import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { toUserView, userViewSelect, type UserView } from "./users.schemas";

export type ListUsersOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "read" scope. */
  principal: Principal;
};

/** Every user, disabled ones included, sorted by email. */
export async function listUsers(options: ListUsersOptions): Promise<UserView[]> {
  const { db, principal } = options;
  requireAdmin(principal, "read");
  // Emails are unique, so the order is total and stable between calls.
  const rows = await db.prisma.user.findMany({ orderBy: { email: "asc" }, select: userViewSelect });
  return rows.map(toUserView);
}
