import { describe, expect, it } from "vitest";

import { Prisma } from "../../db/generated/client";
import { inTransaction } from "../../db/transaction";
import { databaseBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { queryRows } from "./query-rows";

describe.each(databaseBackends)("queryRows on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  const statement = (n: number) =>
    Prisma.sql`SELECT ${n}::int AS n, now() AS at, '{"a":[1]}'::jsonb AS doc,
      gen_random_uuid() AS id, ${[`x${n}`, null]}::text[] AS list`;

  it("answers on the pool with the values Prisma gives, again and again under one name", async () => {
    const viaPrisma = await db().prisma.$queryRaw<Record<string, unknown>[]>(statement(1));
    for (const n of [1, 2, 3, 4, 5, 6, 7]) {
      const [row] = await queryRows<Record<string, unknown>>(db(), "test_query_rows", statement(n));
      expect(row).toMatchObject({ n, doc: { a: [1] }, list: [`x${n}`, null] });
      expect(row!.at).toBeInstanceOf(Date);
      expect(typeof row!.id).toBe(typeof viaPrisma[0]!.id);
      expect(Object.keys(row!)).toEqual(Object.keys(viaPrisma[0]!));
    }
  });

  it("stays on the caller's transaction, so a rollback takes its writes too", async () => {
    await db().pool.query("CREATE TABLE IF NOT EXISTS query_rows_probe (v int)");
    await expect(
      inTransaction(db(), async (tx) => {
        // Even handed the pool beside the transaction, it must not leave the transaction.
        await queryRows(
          { ...db(), prisma: tx },
          "test_query_rows_insert",
          Prisma.sql`INSERT INTO query_rows_probe VALUES (${1}::int) RETURNING v`,
        );
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const { rows } = await db().pool.query("SELECT count(*)::int AS n FROM query_rows_probe");
    expect(rows[0]).toEqual({ n: 0 });
  });
});
