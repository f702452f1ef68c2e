import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";

import { createMemoryCache } from "../../cache/cache";
import { useEnvelopeCodes } from "./graphql-errors";
import {
  loadTrustedDocuments,
  PERSISTED_QUERY_NOT_FOUND,
  usePersistedOperations,
} from "./persisted-operations";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const schema = createSchema({
  typeDefs: "type Query { hello: String, secret: String }",
  resolvers: { Query: { hello: () => "world", secret: () => "s" } },
});

/** A yoga with the plugin, as the Lake's server orders them; a real HTTP exchange in memory. */
function server(trusted?: Map<string, string>) {
  const cache = createMemoryCache();
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [useEnvelopeCodes(), usePersistedOperations({ cache: () => cache, trusted })],
  });
  return async (body: object) => {
    const response = await yoga.fetch("http://lake.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions: { code: string } }[];
      },
    };
  };
}

describe("persisted operations", () => {
  const query = "{ hello }";
  const persistedQuery = { version: 1, sha256Hash: sha256(query) };

  it("speaks Apollo's APQ protocol: not found, registered with its query, then found by hash", async () => {
    const post = server();
    const miss = await post({ extensions: { persistedQuery } });
    expect(miss.body.errors?.[0]?.message).toBe(PERSISTED_QUERY_NOT_FOUND);
    expect(miss.body.errors?.[0]?.extensions.code).toBe("not_found");
    expect((await post({ query, extensions: { persistedQuery } })).body).toEqual({
      data: { hello: "world" },
    });
    expect((await post({ extensions: { persistedQuery } })).body).toEqual({
      data: { hello: "world" },
    });
  });

  it("refuses a hash that is not the query's, and a malformed extension", async () => {
    const post = server();
    const wrong = await post({ query: "{ secret }", extensions: { persistedQuery } });
    expect(wrong.body.errors?.[0]?.extensions.code).toBe("bad_request");
    const malformed = await post({
      extensions: { persistedQuery: { version: 2, sha256Hash: "x" } },
    });
    expect(malformed.body.errors?.[0]?.extensions.code).toBe("bad_request");
  });

  it("runs only trusted documents in trusted mode, by hash or in full", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "trusted-")), "manifest.json");
    writeFileSync(file, JSON.stringify({ [sha256(query)]: query }));
    const post = server(loadTrustedDocuments(file));
    expect((await post({ extensions: { persistedQuery } })).body).toEqual({
      data: { hello: "world" },
    });
    expect((await post({ query })).body).toEqual({ data: { hello: "world" } });
    const other = await post({
      query: "{ secret }",
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ secret }") } },
    });
    expect(other.status).toBe(403);
    expect(other.body.errors?.[0]?.extensions.code).toBe("forbidden");
    expect((await post({ query: "{ secret }" })).body.errors?.[0]?.extensions.code).toBe(
      "forbidden",
    );
  });

  it("refuses a manifest whose hashes are not its documents'", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "trusted-")), "manifest.json");
    writeFileSync(file, JSON.stringify({ [sha256("{ secret }")]: query }));
    expect(() => loadTrustedDocuments(file)).toThrow(/not the sha256/);
  });
});
