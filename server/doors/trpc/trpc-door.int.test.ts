import { beforeAll, describe, expect, it } from "vitest";

import { env } from "../../env";
import { MAX_JSON_DEPTH } from "../../input/storable-input";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestUser, sessionCookie } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { GET, POST } from "./fetch-handler";

type TrpcError = {
  message: string;
  data: { httpStatus: number; error_code: string; details: unknown };
};
/** One tRPC error body, or each call's of a batch. */
const errorsOf = async (response: Response): Promise<TrpcError[]> => {
  const body = (await response.json()) as { error: TrpcError } | { error: TrpcError }[];
  return (Array.isArray(body) ? body : [body]).map((item) => item.error);
};

const url = (path: string, query = "") => `http://lake.test/api/trpc/${path}${query}`;
const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;
const deepText = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
const deep = (levels: number) => JSON.parse(deepText(levels)) as unknown;

describe.each(databaseBackends)("the tRPC door on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);
  let cookie: string;
  let userId: string;

  beforeAll(async () => {
    const { principal } = await createTestUser(db(), "admin");
    userId = principal.userId;
    cookie = await sessionCookie(userId);
  });

  const get = (path: string, query = "") =>
    GET(new Request(url(path, query), { headers: { host: "lake.test", cookie } }));
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    POST(
      new Request(url(path), {
        method: "POST",
        headers: {
          host: "lake.test",
          origin: "http://lake.test",
          cookie,
          "content-type": "application/json",
          ...headers,
        },
        body,
      }),
    );
  const createKey = (headers: Record<string, string>) =>
    post("account.apiKeys.create", JSON.stringify({ name: "csrf", scopes: ["read"] }), headers);
  const keyCount = () => db().prisma.apiKey.count({ where: { userId } });

  async function expectRefused(response: Response, status: number, errorCode: string) {
    expect(response.status).toBe(status);
    const errors = await errorsOf(response);
    for (const error of errors) {
      expect(error.data).toMatchObject({ httpStatus: status, error_code: errorCode });
    }
    return errors;
  }

  it.each([
    ["Origin: null", { origin: "null" }],
    ["a garbage Origin", { origin: "not a url" }],
    ["an Origin with a bare scheme", { origin: "http://" }],
    [
      "a spoofed X-Forwarded-Host (proxy not trusted)",
      {
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
      },
    ],
  ])("refuses a mutation with %s: 403 forbidden, never a 500", async (_name, headers) => {
    const before = await keyCount();
    const [error] = await expectRefused(await createKey(headers), 403, "forbidden");
    expect(error!.data.details).toEqual({ reason: "csrf" });
    expect(await keyCount()).toBe(before);
  });

  it("answers malformed input with 4xx and an error_code, never a 500", async () => {
    await expectRefused(await get("data.records.get", "?input=garbage"), 400, "invalid_json");
    const batch = await expectRefused(
      await get("data.records.get,data.datasets.list", "?batch=1&input=garbage"),
      400,
      "invalid_json",
    );
    expect(batch).toHaveLength(2);
    await expectRefused(
      await get("data.records.get,data.records.get", `?batch=1&input=${encodeURIComponent("[1]")}`),
      400,
      "bad_request",
    );
    await expectRefused(await post("account.apiKeys.create", ""), 400, "invalid_json");
    await expectRefused(await post("account.apiKeys.create", "{nope"), 400, "invalid_json");
    await expectRefused(
      await post("account.apiKeys.create", "{}", { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
    );
    await expectRefused(await get("account.apiKeys.create"), 405, "method_not_allowed");
    await expectRefused(await get("no.such.procedure"), 404, "not_found");
  });

  it("refuses what PostgreSQL cannot store with 400 validation_failed naming the field", async () => {
    const nul = await expectRefused(
      await post("data.records.create", JSON.stringify({ dataset: "a\u0000b", payload: {} })),
      400,
      "validation_failed",
    );
    expect(nul[0]!.data.details).toMatchObject([{ path: "dataset", code: "invalid_string" }]);

    const surrogate = await expectRefused(
      await get("data.records.query", input({ params: "dataset=\ud800" })),
      400,
      "validation_failed",
    );
    expect(surrogate[0]!.data.details).toMatchObject([{ path: "params" }]);

    const huge = await expectRefused(
      await post("data.records.create", '{"dataset":"d","payload":{"n":1e400}}'),
      400,
      "validation_failed",
    );
    expect(huge[0]!.data.details).toMatchObject([
      { path: "payload.n", code: "number_out_of_range" },
    ]);
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels before parsing it`, async () => {
    const tooDeep = { dataset: "d", payload: { a: deep(MAX_JSON_DEPTH + 10) } };
    const [mutation] = await expectRefused(
      await post("data.records.create", JSON.stringify(tooDeep)),
      400,
      "invalid_json",
    );
    expect(mutation!.data.details).toEqual({ max_depth: MAX_JSON_DEPTH });
    // Far deeper than any recursive step could follow: still a 400, not a stack overflow.
    await expectRefused(
      await post("data.records.create", `{"dataset":"d","payload":{"a":${deepText(50_000)}}}`),
      400,
      "invalid_json",
    );
    const batch = await expectRefused(
      await get(
        "data.records.get,data.records.get",
        `?batch=1${input({ 0: { id: deep(MAX_JSON_DEPTH + 1) }, 1: {} }).replace("?", "&")}`,
      ),
      400,
      "invalid_json",
    );
    expect(batch).toHaveLength(2);
  });

  it("refuses a body over LAKE_MAX_BODY_BYTES with 413, as REST does", async () => {
    const payload = { s: "x".repeat(env().LAKE_MAX_BODY_BYTES) };
    const [error] = await expectRefused(
      await post("data.records.create", JSON.stringify({ dataset: "d", payload })),
      413,
      "payload_too_large",
    );
    expect(error!.data.details).toEqual({ max_bytes: env().LAKE_MAX_BODY_BYTES });
  });

  it("still serves well-formed calls", async () => {
    const response = await get("data.datasets.list");
    expect(response.status).toBe(200);
    expect((await createKey({})).status).toBe(200);
  });
});
