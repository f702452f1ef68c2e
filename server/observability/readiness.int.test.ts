import { readdirSync } from "node:fs";

import { afterAll, describe, expect, it } from "vitest";

import { createCacheServices } from "../cache/cache-services";
import { startDatabase } from "../db/database";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { MIGRATIONS_DIR } from "../db/migrations";
import { GET as getReady } from "../doors/rest/routes/ready";
import { toAppError } from "../errors/to-app-error";
import { databaseBackends, redisBackends } from "../testing/backends";
import { startTcpProxy, throughProxy } from "../testing/tcp-proxy";
import { useTestDatabase } from "../testing/test-database";
import { useTestServices } from "../testing/test-services";
import { markDraining } from "./draining";
import { checkReadiness } from "./readiness";

const migrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe.each(databaseBackends)("readiness on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);

  it.each(redisBackends)("is ok with the database up and Redis $name", async (redis) => {
    const cache = await createCacheServices({ redisUrl: redis.url });
    try {
      const report = await checkReadiness({ db: db(), pingRedis: () => cache.ping() });
      expect(report.status).toBe("ok");
      expect(Object.keys(report.checks)).toEqual(["postgres", "redis", "stream", "cortex"]);
      expect(report.checks.postgres).toMatchObject({
        status: "up",
        critical: true,
        mode: backend.name,
        migrations: { applied: migrations.length, latest: migrations.at(-1) },
      });
      expect(report.checks.redis.status).toBe(redis.url ? "up" : "not_configured");
      expect(report.checks.redis.critical).toBe(false);
      expect(report.checks.stream).toEqual({ status: "not_configured", critical: false });
      expect(report.checks.cortex).toEqual({ status: "not_configured", critical: false });
    } finally {
      await cache.close();
    }
  });

  it("lists the optional dependencies by their breakers: an open one is down, and degrades", async () => {
    const pingRedis = async () => ({ status: "not_configured" as const });
    const report = await checkReadiness({
      db: db(),
      pingRedis,
      dependencies: {
        stream: async () => ({ breaker: "half-open", lag: 3 }),
        cortex: async () => ({ breaker: "open", retryAfterMs: 4_200 }),
      },
    });
    expect(report.status).toBe("degraded");
    expect(report.checks.stream).toEqual({
      status: "up",
      critical: false,
      breaker: "half-open",
      lagEvents: 3,
    });
    expect(report.checks.cortex).toEqual({
      status: "down",
      critical: false,
      breaker: "open",
      retryAfterSeconds: 5,
    });
  });

  it("is draining, whatever the checks say, once the process is told to stop", async () => {
    const pingRedis = async () => ({ status: "not_configured" as const });
    expect((await checkReadiness({ db: db(), pingRedis, draining: false })).status).toBe("ok");
    const draining = await checkReadiness({ db: db(), pingRedis, draining: true });
    expect(draining.status).toBe("draining");
    expect(draining.checks.postgres.status).toBe("up");
  });
});

describe.each(databaseBackends)("GET /ready on $name PostgreSQL", (backend) => {
  useTestServices(backend);

  it("reads the process's draining flag through the route: 503 in the envelope at once", async () => {
    markDraining();
    try {
      const started = performance.now();
      const response = await getReady(new Request("http://lake.test/ready"));
      expect(response.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(2_000);
      const envelope = (await response.json()) as {
        error_code: string;
        details: { status: string; checks: Record<string, unknown> };
      };
      expect(envelope.error_code).toBe("service_unavailable");
      expect(envelope.details.status).toBe("draining");
      expect(Object.keys(envelope.details.checks)).toEqual([
        "postgres",
        "redis",
        "stream",
        "cortex",
      ]);
    } finally {
      markDraining(false);
    }
    expect((await getReady(new Request("http://lake.test/ready"))).status).toBe(200);
  });
});

describe.each(databaseBackends)("faults on $name PostgreSQL", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("reports unavailable while PostgreSQL is unreachable and recovers when it returns", async () => {
    // The database is reached through a proxy the test can cut, as if the server went away.
    const embedded = backend.url ? undefined : await startEmbeddedPostgres();
    if (embedded) cleanups.push(() => embedded.close());
    const target = new URL(backend.url ?? embedded!.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const db = await startDatabase({
      url: throughProxy(target.toString(), proxy.port),
      poolSize: 2,
    });
    cleanups.push(() => db.close());
    const pingRedis = async () => ({ status: "not_configured" as const });

    expect((await checkReadiness({ db, pingRedis })).status).toBe("ok");
    proxy.cut();
    const down = await checkReadiness({ db, pingRedis });
    expect(down.status).toBe("unavailable");
    expect(down.checks.postgres.status).toBe("down");
    expect(down.checks.postgres.error).toBeTruthy();
    // What an API call sees meanwhile: Prisma's and pg's real errors map to 503, not 500.
    for (const query of [() => db.prisma.role.count(), () => db.pool.query("select 1")]) {
      const error = await query().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(toAppError(error)).toMatchObject({ code: "database_unavailable", status: 503 });
    }

    proxy.restore();
    expect((await checkReadiness({ db, pingRedis })).status).toBe("ok");
    expect(await db.prisma.role.count()).toBeGreaterThanOrEqual(0);
  });
});

describe.runIf(redisBackends.length > 1)("faults on Redis", () => {
  it("reports degraded while Redis is unreachable and recovers when it returns", async () => {
    const redisUrl = new URL(redisBackends[1]!.url!);
    const proxy = await startTcpProxy({
      host: redisUrl.hostname,
      port: Number(redisUrl.port || 6379),
    });
    const cache = await createCacheServices({
      redisUrl: throughProxy(redisUrl.toString(), proxy.port),
    });
    const db = await startDatabase({});
    try {
      const ready = () => checkReadiness({ db, pingRedis: () => cache.ping() });
      expect((await ready()).status).toBe("ok");
      proxy.cut();
      const degraded = await ready();
      expect(degraded.status).toBe("degraded");
      expect(degraded.checks.redis.status).toBe("down");
      // Still served from the in-process fallback meanwhile.
      await cache.cache.set("readiness-probe", { ok: true }, 60);
      expect(await cache.cache.get("readiness-probe")).toEqual({ ok: true });

      proxy.restore();
      await expect
        .poll(async () => (await ready()).status, { timeout: 15_000, interval: 250 })
        .toBe("ok");
    } finally {
      await cache.close();
      await db.close();
      await proxy.close();
    }
  });
});
