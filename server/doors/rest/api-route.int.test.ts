import { describe, expect, it } from "vitest";

import { POST as trpcPost } from "../trpc/fetch-handler";

import { env } from "../../env";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestKey, createTestUser, sessionCookie } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { apiRoute } from "./api-route";

// A route limited like /api/v1/lake/data (the data API mounts the same rule).
const limited = apiRoute({
  endpoint: "/test/data",
  permission: "read",
  rateLimit: { bucket: "data", perHour: () => env().LAKE_RATE_LIMIT_DATA_PER_HOUR },
  handler: async () => ({ ok: true }),
});
const call = (key: string) =>
  limited(new Request("http://lake.test/test/data", { headers: { "x-api-key": key } }));

describe.each(databaseBackends)("API routes on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  it("allows 1000 requests per hour per principal, then 429 with Retry-After", async () => {
    const { key } = await createTestKey(db(), "reader", ["read"]);
    const perHour = env().LAKE_RATE_LIMIT_DATA_PER_HOUR;
    expect(perHour).toBe(1000);
    let last: Response | undefined;
    for (let i = 0; i < perHour; i++) {
      last = await call(key);
      expect(last.status).toBe(200);
    }
    expect(last!.headers.get("ratelimit-limit")).toBe("1000");
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");

    const refused = await call(key);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error_code: string }).error_code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");

    // Another principal has its own budget.
    const other = await createTestKey(db(), "reader", ["read"]);
    const fresh = await call(other.key);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("ratelimit-remaining")).toBe("999");
  }, 120_000);

  it("lets an API key carry its own limit", async () => {
    const { key, apiKey } = await createTestKey(db(), "reader", ["read"]);
    await db().prisma.apiKey.update({ where: { id: apiKey.id }, data: { rateLimitPerHour: 3 } });
    for (let i = 0; i < 3; i++) expect((await call(key)).status).toBe(200);
    const refused = await call(key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit-limit")).toBe("3");
  });

  it("refuses console mutations from another origin (CSRF) and accepts same-origin ones", async () => {
    const { principal } = await createTestUser(db(), "admin");
    const cookie = await sessionCookie(principal.userId);
    const create = (origin: string | null) =>
      trpcPost(
        new Request("http://lake.test/api/trpc/account.apiKeys.create", {
          method: "POST",
          headers: {
            host: "lake.test",
            cookie,
            "content-type": "application/json",
            ...(origin ? { origin } : {}),
          },
          body: JSON.stringify({ name: "csrf", scopes: ["read"] }),
        }),
      );
    for (const origin of ["https://evil.example", null]) {
      const refused = await create(origin);
      expect(refused.status).toBe(403);
      expect(
        ((await refused.json()) as { error: { data: { error_code: string } } }).error.data
          .error_code,
      ).toBe("forbidden");
    }
    expect(await db().prisma.apiKey.count({ where: { userId: principal.userId } })).toBe(0);
    expect((await create("http://lake.test")).status).toBe(200);
    expect(await db().prisma.apiKey.count({ where: { userId: principal.userId } })).toBe(1);
  });

  it("counts MFA code checks in the console toward the sign-in limit", async () => {
    const { principal } = await createTestUser(db(), "reader");
    const cookie = await sessionCookie(principal.userId);
    const disable = () =>
      trpcPost(
        new Request("http://lake.test/api/trpc/account.mfa.disable", {
          method: "POST",
          headers: {
            host: "lake.test",
            origin: "http://lake.test",
            cookie,
            "content-type": "application/json",
          },
          body: JSON.stringify({ code: "123456" }),
        }),
      );
    for (let i = 0; i < env().LAKE_RATE_LIMIT_AUTH_PER_15_MIN; i++)
      expect((await disable()).status).not.toBe(429);
    const refused = await disable();
    expect(refused.status).toBe(429);
    expect(
      ((await refused.json()) as { error: { data: { error_code: string } } }).error.data.error_code,
    ).toBe("rate_limited");
  });
});
