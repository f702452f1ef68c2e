import type { Prisma, PrismaClient } from "./generated/client";

/** Prisma, either the client or an open transaction: services compose inside a caller's transaction. */
export type DbClient = { prisma: PrismaClient | Prisma.TransactionClient };

/**
 * Whether `db` is already inside a transaction. Only the process's client can disconnect; Prisma 7
 * gives a transaction's client `$transaction` too, so that cannot tell them apart.
 */
export function isTransaction(prisma: DbClient["prisma"]): prisma is Prisma.TransactionClient {
  return !("$disconnect" in prisma);
}

/** Runs `fn` in a new transaction, or in the caller's when `db` already is one (batch operations). */
export function inTransaction<T>(
  db: DbClient,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return isTransaction(db.prisma) ? fn(db.prisma) : (db.prisma as PrismaClient).$transaction(fn);
}
