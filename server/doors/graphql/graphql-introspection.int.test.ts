import { getIntrospectionQuery } from "graphql";
import { describe, expect, it, vi } from "vitest";

import { env } from "../../env";
import { databaseBackends } from "../../testing/backends";
import { createTestKey, createTestUser, sessionCookie } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { POST } from "./graphql-route";
import { introspectionAllowed } from "./graphql-server";

// Production with LAKE_GRAPHQL_INTROSPECTION unset, before env() is first read.
vi.hoisted(() => {
  Object.assign(process.env, { NODE_ENV: "production" });
  delete process.env.LAKE_GRAPHQL_INTROSPECTION;
});

describe("introspectionAllowed", () => {
  it("follows LAKE_GRAPHQL_INTROSPECTION when set, and keeps production to the console otherwise", () => {
    expect(introspectionAllowed(true, "production")).toBe("everyone");
    expect(introspectionAllowed(false, "development")).toBe("nobody");
    expect(introspectionAllowed(undefined, "development")).toBe("everyone");
    expect(introspectionAllowed(undefined, "production")).toBe("console");
  });
});

describe.each(databaseBackends)("introspection in production on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);

  const introspect = async (headers: Record<string, string>) => {
    const response = await POST(
      new Request("http://lake.test/api/v1/lake/graphql", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
          host: "lake.test",
          origin: "http://lake.test",
          ...headers,
        },
        body: JSON.stringify({
          query: getIntrospectionQuery({ inputValueDeprecation: true }),
          operationName: "IntrospectionQuery",
        }),
      }),
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: { __schema?: unknown } | null;
        errors?: { extensions: { code: string } }[];
      },
    };
  };

  it("answers the console's session (the Query page's docs) but not an API key", async () => {
    expect(env().NODE_ENV).toBe("production");
    const { principal } = await createTestUser(db(), "reader");
    const consoleAnswer = await introspect({ cookie: await sessionCookie(principal.userId) });
    expect(consoleAnswer.status).toBe(200);
    expect(consoleAnswer.body.data?.__schema).toBeTruthy();

    const { key } = await createTestKey(db(), "reader", ["read"]);
    const client = await introspect({ "x-api-key": key });
    expect(client.status).toBe(400);
    expect(client.body.data ?? null).toBeNull();
    expect(client.body.errors?.[0]?.extensions.code).toBe("validation_failed");
  });
});
