import { describe, expect, it } from "vitest";

import { toAppError } from "../errors/to-app-error";
import { databaseBackends } from "../testing/backends";
import { startDatabase } from "./database";
import { inUnlimitedTransaction } from "./unlimited-statements";

describe.each(databaseBackends)("statement timeout on $name PostgreSQL", (backend) => {
  it("is set on every connection", async () => {
    const db = await startDatabase({ url: backend.url, statementTimeoutMs: 300, poolSize: 2 });
    try {
      // Two at once on a server; the embedded database has a single connection (database.ts).
      const clients = await Promise.all(
        Array.from({ length: backend.url ? 2 : 1 }, () => db.pool.connect()),
      );
      for (const client of clients) {
        expect((await client.query("show statement_timeout")).rows).toEqual([
          { statement_timeout: "300ms" },
        ]);
        client.release();
      }
    } finally {
      await db.close();
    }
  });
});

// PGlite (WASM) cannot interrupt a running statement, so only a server enforces the bound
// (docs/decisions/0003-embedded-default.md).
describe.each(databaseBackends.filter((b) => b.name === "server"))(
  "statement timeout on $name PostgreSQL",
  (backend) => {
    it("cancels long queries through pg and through Prisma with a 503", async () => {
      const db = await startDatabase({ url: backend.url, statementTimeoutMs: 300, poolSize: 2 });
      try {
        for (const query of [
          () => db.pool.query("select pg_sleep(2)"),
          () => db.prisma.$queryRaw`select pg_sleep(2)`,
        ]) {
          const started = Date.now();
          const error = await query().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(Date.now() - started).toBeLessThan(1_500);
          expect(toAppError(error)).toMatchObject({ code: "service_unavailable", status: 503 });
        }
        expect((await db.pool.query("select 1 as ok")).rows).toEqual([{ ok: 1 }]);
      } finally {
        await db.close();
      }
    });
  },
);

describe.each(databaseBackends.filter((b) => b.name === "server"))(
  "an unlimited transaction on $name PostgreSQL",
  (backend) => {
    it(
      "outlasts the pool's statement limit, and leaves the connection with it",
      { timeout: 20_000 },
      async () => {
        const db = await startDatabase({ url: backend.url, statementTimeoutMs: 300, poolSize: 1 });
        try {
          const slept = await inUnlimitedTransaction(db.pool, async (query) => {
            // Longer than the pool's 300 ms and than the client's own limit (300 ms + 5 s margin).
            await query("select pg_sleep(5.5)");
            return (await query("show statement_timeout")).rows as unknown[];
          });
          expect(slept).toEqual([{ statement_timeout: "0" }]);
          // SET LOCAL: the same (only) connection is back under the limit.
          await expect(db.pool.query("select pg_sleep(2)")).rejects.toThrow();
          expect((await db.pool.query("show statement_timeout")).rows).toEqual([
            { statement_timeout: "300ms" },
          ]);
        } finally {
          await db.close();
        }
      },
    );
  },
);
