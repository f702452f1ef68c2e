import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { GET as queryData, POST as create } from "../../doors/rest/routes/data";
import { toAppError } from "../../errors/to-app-error";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestKey } from "../../testing/identity-fixtures";
import { reportRecovery } from "../../testing/recovery";
import { useTestServicesBehindProxy } from "../../testing/test-services-behind-proxy";

const server = databaseBackends.find((backend) => backend.url);
const redisUrl = redisBackends.find((backend) => backend.url)?.url;

type Answer = { status: number; errorCode?: string; retryAfter: string | null; ms: number };

async function send(handler: (request: Request) => Promise<Response>, request: Request) {
  const started = performance.now();
  const response = await handler(request);
  const body = (await response.json()) as { error_code?: string };
  return {
    status: response.status,
    errorCode: body.error_code,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
    at: performance.now(),
  };
}

// The embedded database runs inside the process: it cannot go away on its own. A real server can.
describe.runIf(server)("the data API while PostgreSQL goes away mid-traffic", () => {
  const { db, proxy } = useTestServicesBehindProxy(server?.url, redisUrl);

  it("answers 503 database_unavailable at once while it is cut, recovers by itself, and loses no acknowledged write", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read", "write"]);
    const dataset = await db().prisma.dataset.create({
      data: { name: `outage-${randomUUID()}`, ownerId: principal.userId },
    });
    const headers = { "x-api-key": key, "content-type": "application/json" };

    // Three writers, each creating records 0, 1, 2, … in turn. Like a careful client, a writer
    // sends each record with an Idempotency-Key and repeats it (same key) until it is
    // acknowledged, so a write the outage interrupted is neither lost nor made twice.
    let running = true;
    const failures: Answer[] = [];
    const acknowledged: string[] = [];
    const written: number[] = [];
    const writer = async (w: number) => {
      for (let n = 0; running; n++) {
        const id = `w${w}-${n}`;
        for (;;) {
          const answer = await send(
            create,
            new Request("http://lake.test/api/v1/lake/data", {
              method: "POST",
              headers: { ...headers, "idempotency-key": id },
              body: JSON.stringify({ dataset: dataset.name, payload: { id } }),
            }),
          );
          if (answer.status === 201) {
            acknowledged.push(id);
            written.push(answer.at);
            break;
          }
          failures.push(answer);
          if (!running) return;
          await sleep(50);
        }
      }
    };
    // Reads may be answered from the response cache meanwhile (Redis is up); a miss is a 503 too.
    const reader = async () => {
      for (let n = 0; running; n++) {
        const answer = await send(
          queryData,
          new Request(
            `http://lake.test/api/v1/lake/data?dataset=${dataset.name}&limit=${(n % 20) + 1}`,
            { headers },
          ),
        );
        if (answer.status !== 200) failures.push(answer);
        await sleep(20);
      }
    };
    const traffic = Promise.all([writer(0), writer(1), writer(2), reader()]);

    await sleep(500);
    const before = acknowledged.length;
    proxy().cut();
    const cutAt = performance.now();
    await sleep(2_500);
    proxy().restore();
    const restoredAt = performance.now();
    await sleep(1_000);
    running = false;
    await traffic;

    expect(before).toBeGreaterThan(0);
    // While it was cut: refused quickly with the envelope the docs promise, never a hang or a 500
    // — nor, once it is back, a 409 for a key whose first attempt the outage cut short.
    const during = failures;
    expect(during.length).toBeGreaterThan(0);
    for (const failure of during) {
      expect(failure.status).toBe(503);
      // service_unavailable (Retry-After: 2): a transaction found no connection free in time.
      expect(["database_unavailable:5", "service_unavailable:2"]).toContain(
        `${failure.errorCode}:${failure.retryAfter}`,
      );
    }
    const slowest = Math.max(...during.map((failure) => failure.ms));
    expect(slowest).toBeLessThan(3_500); // the pool's connect timeout, at most
    expect(written.some((at) => at > cutAt + 200 && at < restoredAt)).toBe(false);

    // Back by itself: the first write after the restore, with no restart or reset.
    const firstAfter = Math.min(...written.filter((at) => at > restoredAt));
    const recoveryMs = firstAfter - restoredAt;
    expect(recoveryMs).toBeLessThan(1_000);

    // Every acknowledged record is stored, once; nothing unacknowledged was stored twice either.
    const rows = await db().prisma.record.findMany({
      where: { datasetId: dataset.id },
      select: { payload: true },
    });
    const stored = rows.map((row) => (row.payload as { id: string }).id);
    const lost = acknowledged.filter((id) => !stored.includes(id)).length;
    const duplicated = stored.length - new Set(stored).size;
    reportRecovery("postgres-rest", recoveryMs, { lost, duplicated });
    expect(acknowledged.length).toBeGreaterThan(before);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
  });

  it("answers every way a connection cut mid-query fails with 503 database_unavailable, never a 500", async () => {
    // Prisma reports a lost connection differently for model queries (P1017), raw queries (P2010
    // over the adapter's ConnectionClosed), transactions (the adapter's own error) and pg itself
    // ("Connection terminated unexpectedly"): cuts while queries are in flight produce them all.
    const queries = [
      () => db().prisma.$queryRaw`select 1`,
      () => db().prisma.role.count(),
      () => db().prisma.$transaction(async (tx) => tx.role.count()),
      () => db().pool.query("select 1"),
    ];
    let running = true;
    const errors: unknown[] = [];
    const loop = async () => {
      while (running) {
        for (const query of queries) {
          await query().catch((error: unknown) => void errors.push(error));
        }
      }
    };
    const loops = Promise.all(Array.from({ length: 6 }, loop));
    for (let flap = 0; flap < 8; flap++) {
      await sleep(80);
      proxy().cut();
      await sleep(80);
      proxy().restore();
    }
    running = false;
    await loops;
    expect(errors.length).toBeGreaterThan(0);
    const mapped = errors.map((error) => toAppError(error).code);
    expect(new Set(mapped)).toEqual(new Set(["database_unavailable"]));
  });
});
