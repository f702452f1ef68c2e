import { describe, expect, it } from "vitest";

import { databaseBackends } from "../testing/backends";
import { startDatabase } from "./database";

describe.each(databaseBackends)(
  "a session PostgreSQL ends mid-transaction, on $name PostgreSQL",
  (backend) => {
    // Only a server has sessions to end from outside (pg_terminate_backend).
    it.runIf(backend.name === "server")(
      "fails that transaction's query, not the process, and the pool carries on",
      async () => {
        const db = await startDatabase({ url: backend.url, poolSize: 2 });
        try {
          const client = await db.pool.connect();
          await client.query("begin");
          const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
          await db.pool.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
          // Without a listener on the checked-out client, its 'error' event was an uncaught
          // exception (vitest fails the run on one).
          await expect(client.query("select 1")).rejects.toThrow();
          client.release();
          // The pool may hand the dead session out once more before it has seen the socket close
          // (pg-pool's own behaviour): that query fails, then the pool has dropped it.
          const answers: unknown[] = [];
          for (let attempt = 0; attempt < 3; attempt++) {
            const answer = await db.pool.query<{ ok: number }>("select 1 as ok").then(
              (result) => result.rows,
              () => "failed",
            );
            answers.push(answer);
          }
          expect(answers.at(-1)).toEqual([{ ok: 1 }]);
        } finally {
          await db.close();
        }
      },
    );
  },
);
