import type { Prisma, PrismaClient } from "./generated/client";

/** Prisma, either the client or an open transaction: services compose inside a caller's transaction. */
export type DbClient = { prisma: PrismaClient | Prisma.TransactionClient };

/** Runs `fn` in a new transaction, or in the caller's when `db` already is one (batch operations). */
export function inTransaction<T>(
  db: DbClient,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return "$transaction" in db.prisma ? db.prisma.$transaction(fn) : fn(db.prisma);
}
