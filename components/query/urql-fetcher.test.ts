import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { print } from "graphql";
import { createSchema, createYoga } from "graphql-yoga";
import { useServer } from "graphql-ws/use/ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";

import { createQueryClient, GRAPHQL_PATH } from "./graphql-client";
import { selectOperation, urqlFetcher, type WireResult } from "./urql-fetcher";

// A real GraphQL server on a local port — graphql-yoga over HTTP, graphql-ws over WebSocket, the
// same libraries as the Lake's door — so the adapter is tested against the wire, not a fake.
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      hello(name: String = "you"): String!
      refused: String
    }
    type Mutation {
      bump: Int!
    }
    type Subscription {
      ticks(count: Int!): Int!
      forever: Int!
    }
  `,
  resolvers: {
    Query: {
      hello: (_: unknown, { name }: { name: string }) => `hello ${name}`,
      refused: () => {
        throw Object.assign(new Error("No."), { extensions: { code: "forbidden" } });
      },
    },
    Mutation: { bump: () => ++counter },
    Subscription: {
      ticks: {
        subscribe: async function* (_: unknown, { count }: { count: number }) {
          for (let i = 1; i <= count; i++) yield { ticks: i };
        },
      },
      forever: {
        subscribe: async function* () {
          try {
            for (let i = 1; ; i++) {
              yield { forever: i };
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          } finally {
            foreverStopped = true;
          }
        },
      },
    },
  },
});
let counter = 0;
let foreverStopped = false;

describe("urqlFetcher against a GraphQL server", () => {
  let server: Server;
  let wss: WebSocketServer;
  let fetcher: ReturnType<typeof urqlFetcher>;
  let dispose = () => {};

  beforeAll(async () => {
    const yoga = createYoga({
      schema,
      graphqlEndpoint: GRAPHQL_PATH,
      maskedErrors: false,
      logging: false,
    });
    server = createServer((request, response) => void yoga(request, response));
    wss = new WebSocketServer({ server, path: GRAPHQL_PATH });
    useServer({ schema }, wss);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // Node 20 has no global WebSocket; the browser does.
    Object.assign(globalThis, { WebSocket });
    const query = createQueryClient({
      http: `http://127.0.0.1:${port}${GRAPHQL_PATH}`,
      ws: `ws://127.0.0.1:${port}${GRAPHQL_PATH}`,
    });
    fetcher = urqlFetcher(query.client);
    dispose = query.close;
  });
  afterAll(async () => {
    dispose();
    await new Promise((resolve) => wss.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const run = (query: string, variables?: unknown, operationName?: string) =>
    Promise.resolve(fetcher({ query, variables, operationName })) as Promise<WireResult>;

  /** Every event of a subscription, until it completes or `take` have arrived. */
  function events(query: string, variables: unknown, take = Infinity) {
    const received: WireResult[] = [];
    const observable = fetcher({ query, variables }) as unknown as {
      subscribe: (observer: object) => { unsubscribe: () => void };
    };
    return new Promise<{ received: WireResult[]; completed: boolean }>((resolve, reject) => {
      const subscription = observable.subscribe({
        next: (result: WireResult) => {
          received.push(result);
          if (received.length === take) {
            subscription.unsubscribe();
            resolve({ received, completed: false });
          }
        },
        error: reject,
        complete: () => resolve({ received, completed: true }),
      });
    });
  }

  it("answers a query with its result, variables included", async () => {
    expect(await run("query ($n: String) { hello(name: $n) }", { n: "Ada" })).toEqual({
      data: { hello: "hello Ada" },
    });
  });

  it("runs mutations every time (no cache, no deduplication)", async () => {
    const first = await run("mutation { bump }");
    const second = await run("mutation { bump }");
    expect((second.data as { bump: number }).bump).toBe((first.data as { bump: number }).bump + 1);
  });

  it("passes GraphQL errors through as the wire has them, extensions included", async () => {
    const result = await run("{ refused }");
    expect(result.data).toEqual({ refused: null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "No.",
        path: ["refused"],
        extensions: { code: "forbidden" },
      }),
    ]);
  });

  it("runs the chosen operation of several, with only the fragments it uses", async () => {
    const document = `
      query A { ...F }
      query B { ...G }
      fragment F on Query { hello }
      fragment G on Query { greeting: hello(name: "B") ...H }
      fragment H on Query { h: hello(name: "H") }`;
    // The server refuses unused fragments, so this passes only if F was left out.
    expect(await run(document, undefined, "B")).toEqual({
      data: { greeting: "hello B", h: "hello H" },
    });
  });

  it("answers a syntax error or an ambiguous document itself, without a request", async () => {
    expect((await run("{ hello")).errors?.[0]?.message).toMatch(/Syntax Error/);
    expect((await run("query A { hello } query B { hello }")).errors?.[0]?.message).toMatch(
      /several operations/,
    );
  });

  it("streams a subscription's events over the WebSocket, then completes", async () => {
    const { received, completed } = await events("subscription ($c: Int!) { ticks(count: $c) }", {
      c: 3,
    });
    expect(received.map((result) => result.data)).toEqual([
      { ticks: 1 },
      { ticks: 2 },
      { ticks: 3 },
    ]);
    expect(completed).toBe(true);
  });

  it("shows a subscription the server refuses as its errors, then completes", async () => {
    const { received, completed } = await events("subscription { nope }", {});
    expect(received).toHaveLength(1);
    expect(received[0]!.errors?.[0]?.message).toMatch(/nope/);
    expect(completed).toBe(true);
  });

  it("stops the server's subscription when GraphiQL unsubscribes", async () => {
    const { received } = await events("subscription { forever }", {}, 2);
    expect(received).toHaveLength(2);
    await expect.poll(() => foreverStopped, { timeout: 5_000 }).toBe(true);
  });

  it("rejects when there is no GraphQL answer at all", async () => {
    const offline = createQueryClient({
      http: "http://127.0.0.1:1/api/v1/lake/graphql",
      ws: "ws://127.0.0.1:1/api/v1/lake/graphql",
    });
    await expect(
      Promise.resolve(urqlFetcher(offline.client)({ query: "{ hello }" })),
    ).rejects.toThrow();
    offline.close();
  });
});

describe("selectOperation", () => {
  it("keeps the chosen operation and only its fragments", () => {
    const { document, kind } = selectOperation(
      "subscription S { a } query Q { ...F } fragment F on Query { b }",
      "S",
    );
    expect(kind).toBe("subscription");
    expect(document.definitions).toHaveLength(1);
  });

  it("takes the only operation without a name, and refuses a name it does not have", () => {
    expect(selectOperation("{ a }").kind).toBe("query");
    expect(() => selectOperation("query A { a } query C { c }", "B")).toThrow(
      /no operation named "B"/,
    );
    expect(() => selectOperation("fragment F on Query { a }")).toThrow(/no operation/);
  });

  it("runs the only operation under a stale name (GraphiQL names an edited document late)", () => {
    const { document } = selectOperation("query Datasets { datasets { name } }", "Me");
    expect(document.definitions).toHaveLength(1);
    expect(print(document)).toContain("query Datasets");
  });
});
