import type pg from "pg";

/**
 * Runs `fn` in a transaction on one connection of the pool, for our own SQL that needs a session
 * (SET LOCAL, COPY, row locks) — Prisma's interactive transactions cover the rest. Commits when
 * `fn` returns, rolls back when it throws; a connection that cannot even roll back is discarded,
 * not handed to the next caller.
 */
export async function inPoolTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(options.readOnly ? "BEGIN READ ONLY" : "BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
    throw error;
  } finally {
    client.release(broken);
  }
}
