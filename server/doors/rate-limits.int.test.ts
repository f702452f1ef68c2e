import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Small budgets, so spending one takes a handful of calls; env() reads them on first use.
const saved = vi.hoisted(() => {
  const previous = {
    LAKE_RATE_LIMIT_DATA_PER_HOUR: process.env.LAKE_RATE_LIMIT_DATA_PER_HOUR,
    LAKE_RATE_LIMIT_IMPORT_PER_HOUR: process.env.LAKE_RATE_LIMIT_IMPORT_PER_HOUR,
  };
  process.env.LAKE_RATE_LIMIT_DATA_PER_HOUR = "6";
  process.env.LAKE_RATE_LIMIT_IMPORT_PER_HOUR = "4";
  return previous;
});

import { GET as datasetsRoute } from "./rest/routes/datasets";
import { GET as importJobsRoute } from "./rest/routes/import-jobs";
import { GET as trpcGet, POST as trpcPost } from "./trpc/fetch-handler";

import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestUser, sessionCookie } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { dataRateLimit, importRateLimit } from "./rate-limits";

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

type TrpcBody = { error?: { data: { code: string; httpStatus: number; error_code: string } } };

describe.each(databaseBackends)("one rate limit at every door on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);
  let cookie: string;

  const headers = () => ({ host: "lake.test", cookie });
  const rest = (handler: (request: Request) => Promise<Response>, path: string) =>
    handler(new Request(`http://lake.test/api/v1/lake/${path}`, { headers: headers() }));
  const query = (path: string, input?: unknown) =>
    trpcGet(
      new Request(
        `http://lake.test/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
        { headers: headers() },
      ),
    );
  const mutation = (path: string, input: unknown) =>
    trpcPost(
      new Request(`http://lake.test/api/trpc/${path}`, {
        method: "POST",
        headers: { ...headers(), origin: "http://lake.test", "content-type": "application/json" },
        body: JSON.stringify(input),
      }),
    );

  async function expectLimited(response: Response, what: string) {
    expect(response.status, what).toBe(429);
    expect(Number(response.headers.get("retry-after")), what).toBeGreaterThan(0);
    const body = (await response.json()) as TrpcBody & { error_code?: string };
    // REST's envelope, or tRPC's error shape with the same error_code.
    expect(body.error_code ?? body.error?.data.error_code, what).toBe("rate_limited");
    if (body.error) expect(body.error.data.code, what).toBe("TOO_MANY_REQUESTS");
  }

  beforeAll(() => {
    expect([dataRateLimit.perHour(), importRateLimit.perHour()]).toEqual([6, 4]);
  });

  it("counts the console's data and vector calls against the data API's budget", async () => {
    const { principal } = await createTestUser(db(), "admin");
    cookie = await sessionCookie(principal.userId);
    // One budget for the user, whichever door: half through REST, half through tRPC.
    for (let i = 0; i < 3; i++) {
      expect((await rest(datasetsRoute, "datasets")).status).toBe(200);
      expect((await query("data.datasets.list")).status).toBe(200);
    }
    await expectLimited(await query("data.datasets.list"), "data.datasets.list");
    await expectLimited(await rest(datasetsRoute, "datasets"), "GET /datasets");
    await expectLimited(
      await query("data.records.get", { id: crypto.randomUUID() }),
      "data.records.get",
    );
    await expectLimited(
      await mutation("data.records.create", { dataset: "d", payload: {} }),
      "data.records.create",
    );
    await expectLimited(await query("vectors.indexes"), "vectors.indexes");
    await expectLimited(
      await mutation("vectors.search", { text: "x", type: "TEXT" }),
      "vectors.search",
    );
    await expectLimited(
      await mutation("vectors.tune", { type: "TEXT", metric: "cosine" }),
      "vectors.tune",
    );
    // Another budget is untouched.
    expect((await query("imports.list", {})).status).toBe(200);
  });

  it("counts the console's import calls against the import budget", async () => {
    const { principal } = await createTestUser(db(), "reader");
    cookie = await sessionCookie(principal.userId);
    for (let i = 0; i < 2; i++) {
      expect((await rest(importJobsRoute, "import/jobs")).status).toBe(200);
      expect((await query("imports.list", {})).status).toBe(200);
    }
    await expectLimited(await query("imports.list", {}), "imports.list");
    await expectLimited(await rest(importJobsRoute, "import/jobs"), "GET /import/jobs");
    await expectLimited(await query("imports.get", { id: crypto.randomUUID() }), "imports.get");
    await expectLimited(
      await mutation("imports.cancel", { id: crypto.randomUUID() }),
      "imports.cancel",
    );
    expect((await query("data.datasets.list")).status).toBe(200);
  });
});
