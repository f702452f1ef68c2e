import { type Database } from "../../db/client";
import { type Prisma } from "../../db/generated/client";
import { type DbClient, isTransaction } from "../../db/transaction";

/**
 * The rows of one SQL statement we write ourselves, on `db`.
 *
 * When `db` is the process's database (not a transaction) the statement goes straight to the pg
 * pool: Prisma's raw-query layer cost as much CPU per data-API request as everything else the
 * Lake does for it (bench:rest, docs/decisions/0008) and adds nothing to our own SQL. A
 * transaction's statements must stay on its connection, so inside one (batch, Idempotency-Key,
 * replace) they go through Prisma's transaction client as before. pg and Prisma hand back the
 * same values for what these statements select (uuid and text as strings, timestamptz as Date,
 * jsonb parsed).
 *
 * On a PostgreSQL server the statement is prepared once per connection under `name`, so the
 * server neither parses nor plans it again: its text must never vary under one name. The embedded
 * PGlite runs every connection in one session, whose prepared statements two pg clients would both
 * try to create, so there it stays unnamed.
 */
export async function queryRows<R>(
  db: DbClient,
  name: string,
  statement: Prisma.Sql,
): Promise<R[]> {
  const { pool, mode } = db as DbClient & Partial<Pick<Database, "pool" | "mode">>;
  if (!pool || isTransaction(db.prisma)) return db.prisma.$queryRaw<R[]>(statement);
  const { text, values } = statement;
  const result = await pool.query(mode === "server" ? { name, text, values } : { text, values });
  return result.rows as R[];
}
