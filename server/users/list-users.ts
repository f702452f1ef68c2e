import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { escapeLikePattern } from "../db/like-pattern";
import { toAppError } from "../errors/to-app-error";
import {
  listUsersInputSchema,
  toUserView,
  userViewSelect,
  type ListUsersInput,
  type UserPage,
} from "./users.schemas";

export type ListUsersOptions = ListUsersInput & {
  db: Database;
  /** An administrator; an admin API key also needs the "read" scope. */
  principal: Principal;
};

/**
 * Users, disabled ones included, sorted by email, a page at a time. Pages are numbered (offset)
 * rather than keyed: a user list is small enough for OFFSET to cost nothing, and an administrator
 * wants "page 3 of 4" and a total more than a cursor that survives concurrent invitations.
 */
export async function listUsers(options: ListUsersOptions): Promise<UserPage> {
  const { db, principal } = options;
  requireAdmin(principal, "read");
  const parsed = listUsersInputSchema.safeParse({
    search: options.search,
    page: options.page,
    pageSize: options.pageSize,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const { search, page, pageSize } = parsed.data;

  const pattern = search === undefined ? undefined : escapeLikePattern(search);
  const where: Prisma.UserWhereInput =
    pattern === undefined
      ? {}
      : {
          OR: [
            { email: { contains: pattern, mode: "insensitive" } },
            { name: { contains: pattern, mode: "insensitive" } },
          ],
        };
  const [total, rows] = await Promise.all([
    db.prisma.user.count({ where }),
    // Emails are unique, so the order is total and stable between pages.
    db.prisma.user.findMany({
      where,
      orderBy: { email: "asc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: userViewSelect,
    }),
  ]);
  return { items: rows.map(toUserView), total, page, pageSize };
}
