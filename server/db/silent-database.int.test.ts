import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, describe, expect, it } from "vitest";

import { toAppError } from "../errors/to-app-error";
import { databaseBackends } from "../testing/backends";
import { reportRecovery, timeToRecovery } from "../testing/recovery";
import { startTcpProxy, throughProxy } from "../testing/tcp-proxy";
import { startDatabase } from "./database";
import { QUERY_TIMEOUT_MARGIN_MS } from "./query-timeout";

const server = databaseBackends.find((backend) => backend.url);
const STATEMENT_TIMEOUT_MS = 1_000;

// A PostgreSQL that stops answering without closing anything (a network partition, a frozen
// host): its statement timeout can never fire, so only the client's own limit ends the wait.
// The embedded database runs in the process and cannot fall silent on its own.
describe.runIf(server)("PostgreSQL falling silent mid-traffic", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("ends every query with a 503 within the statement timeout and a margin, not a hang, and recovers", async () => {
    const target = new URL(server!.url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const db = await startDatabase({
      url: throughProxy(target.toString(), proxy.port),
      poolSize: 4,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    });
    cleanups.push(() => db.close());
    // Open connections in the pool, so queries meet the silence on established sessions too.
    await Promise.all(Array.from({ length: 4 }, () => db.pool.query("select pg_sleep(0.05)")));

    proxy.stall();
    const started = performance.now();
    const outcomes = await Promise.all(
      [
        () => db.pool.query("select 1"),
        () => db.prisma.role.count(),
        () => db.prisma.$queryRaw`select 1`,
        () => db.prisma.$transaction(async (tx) => tx.role.count()),
        () => db.pool.query("select 2"),
        () => db.pool.query("select 3"),
      ].map((query) =>
        query().then(
          () => ({ status: 200, code: "answered", ms: performance.now() - started }),
          (error: unknown) => {
            const { status, code } = toAppError(error);
            return { status, code, ms: performance.now() - started };
          },
        ),
      ),
    );
    for (const outcome of outcomes) {
      // database_unavailable, or service_unavailable when a transaction found no connection
      // free in time (Prisma's P2028): a 503 with Retry-After either way.
      expect(outcome.status).toBe(503);
      expect(outcome.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS + 1_000);
    }

    await sleep(200);
    proxy.restore();
    const recoveryMs = await timeToRecovery(
      "postgres-silent",
      async () => (await db.prisma.role.count()) >= 0 && (await db.pool.query("select 1")) !== null,
      { timeoutMs: 15_000 },
    );
    // Every connection of the pool serves again (none is left behind a query it gave up on).
    const again = await Promise.all(
      Array.from({ length: 8 }, () => db.pool.query<{ n: number }>("select 1 as n")),
    );
    expect(again.map((result) => result.rows[0]!.n)).toEqual(Array(8).fill(1));
    reportRecovery("postgres-silent", recoveryMs, { lost: 0 });
  }, 30_000);
});
