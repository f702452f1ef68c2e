import { authorize } from "../auth/authorize";
import { isAdmin, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";

/**
 * A user as other users see them: anyone who may read sees an owner's id and name; the email is
 * personal data, shown to the user themself and to administrators only. The one place that field
 * rule lives, so every door (GraphQL's `owner`, REST, the console) hides the same thing.
 */
export type UserProfile = { id: string; name: string | null; email: string | null };

/** Profiles of these users, in the order asked; null for an id that is no user. */
export async function getUserProfiles(options: {
  db: Pick<Database, "prisma">;
  principal: Principal;
  ids: readonly string[];
}): Promise<(UserProfile | null)[]> {
  const { db, principal, ids } = options;
  authorize(principal, "read");
  const rows = await db.prisma.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, name: true, email: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) return null;
    const mayReadEmail = isAdmin(principal) || row.id === principal.userId;
    return { id: row.id, name: row.name, email: mayReadEmail ? row.email : null };
  });
}

/**
 * Whose data a caller may gather in one place (GraphQL's userData): its own, or anyone's for an
 * administrator. What each part then shows still follows its own policy (owner_only holds).
 */
export function assertMayReadUserData(principal: Principal, userId: string): void {
  authorize(principal, "read");
  if (userId !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", "Only administrators can read another user's data.", {
      user_id: userId,
    });
  }
}
