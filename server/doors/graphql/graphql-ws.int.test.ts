import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { createDataset } from "../../data/datasets/create-dataset";
import { createRecords } from "../../data/records/create-records";
import { serviceContext } from "../../service-context";
import { databaseBackends } from "../../testing/backends";
import { revokeApiKey } from "../../auth/api-keys/revoke-api-key";
import { createTestKey, createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { upgradeRouter } from "../websocket/upgrade";
import { GRAPHQL_PATH } from "./graphql-server";
import { createGraphQLWs } from "./graphql-ws";

type Result = {
  data?: Record<string, unknown> | null;
  errors?: { extensions?: { code?: string } }[];
};

describe.each(databaseBackends)("GraphQL over WebSocket on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);
  let server: Server;
  let graphqlWs: ReturnType<typeof createGraphQLWs>;
  let url = "";

  beforeAll(async () => {
    graphqlWs = createGraphQLWs({
      trustProxy: false,
      limits: { perInstance: 100, perPrincipal: 2 },
      recheckMs: 3_600_000,
    });
    server = createServer((_, res) => res.writeHead(404).end());
    server.on("upgrade", upgradeRouter({ [GRAPHQL_PATH]: graphqlWs.handleUpgrade }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${GRAPHQL_PATH}`;
  });
  afterAll(async () => {
    await graphqlWs.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A graphql-ws client whose handshake carries an API key, as a server-side client would. */
  const clientWith = (key: string | undefined): Client =>
    createClient({
      url,
      retryAttempts: 0,
      lazy: false,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: key ? { "x-api-key": key } : {} });
        }
      },
    });

  /** The first `count` results of an operation. */
  function results(
    client: Client,
    query: string,
    variables: Record<string, unknown>,
    count: number,
  ) {
    const received: Result[] = [];
    let dispose = () => {};
    const done = new Promise<Result[]>((resolve, reject) => {
      dispose = client.subscribe<Record<string, unknown>>(
        { query, variables },
        {
          next: (result) => {
            received.push(result as Result);
            if (received.length === count) resolve(received);
          },
          error: reject,
          complete: () => resolve(received),
        },
      );
    });
    return { done, dispose: () => dispose() };
  }

  it("pushes record changes to a subscriber authorized per event, and answers queries", async () => {
    const alice = await createTestProducer(db());
    const bob = await createTestProducer(db());
    const dataset = await createDataset({
      ...serviceContext({ principal: alice.principal }),
      name: `ws_${randomUUID().slice(0, 8)}`,
      policy: "user_data",
    });
    const client = clientWith(alice.key);
    try {
      const me = results(client, "{ me { id } }", {}, 1);
      expect((await me.done)[0]!.data).toEqual({ me: { id: alice.principal.userId } });

      const changes = results(
        client,
        `subscription ($d: String!) { recordChanges(dataset: $d) { topic payload } }`,
        { d: dataset.name },
        1,
      );
      // The subscription is open once the server has it; a query after it on the same socket
      // answers after it was set up.
      await results(client, "{ me { id } }", {}, 1).done;
      for (const [who, n] of [
        [bob, 1],
        [alice, 2],
      ] as const) {
        await createRecords({
          ...serviceContext({ principal: who.principal }),
          dataset: dataset.name,
          payloads: [{ n }],
        });
      }
      const [change] = await changes.done;
      expect(change!.data!.recordChanges).toMatchObject({
        topic: "records",
        payload: { action: "create", record: { n: 2 } },
      });
      changes.dispose();
    } finally {
      await client.dispose();
    }
  });

  it("counts a caller's sockets, and closes one whose key is revoked", async () => {
    const alice = await createTestProducer(db());
    const { key, apiKey, principal } = await createTestKey(db(), "admin", ["read"]);
    const open = (credential: string) =>
      new Promise<{ status: number; socket?: WebSocket }>((resolve) => {
        const socket = new WebSocket(url, "graphql-transport-ws", {
          headers: { "x-api-key": credential },
        });
        socket.on("unexpected-response", (_, response) =>
          resolve({ status: response.statusCode ?? 0 }),
        );
        socket.on("open", () => resolve({ status: 101, socket }));
      });
    // Two sockets per caller here (perPrincipal: 2); a third is refused with 429.
    const first = await open(alice.key);
    const second = await open(alice.key);
    expect([first.status, second.status]).toEqual([101, 101]);
    expect((await open(alice.key)).status).toBe(429);
    first.socket!.close();
    second.socket!.close();

    const admin = await open(key);
    expect(admin.status).toBe(101);
    const closed = new Promise<number>((resolve) => admin.socket!.once("close", resolve));
    await revokeApiKey({ db: db(), principal, keyId: apiKey.id });
    await graphqlWs.recheck();
    expect(await closed).toBe(1008);
  });

  it("refuses a handshake without credentials, and operations with the envelope's codes", async () => {
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url, "graphql-transport-ws");
      socket.on("unexpected-response", (_, response) => resolve(response.statusCode ?? 0));
      socket.on("open", () => resolve(101));
    });
    expect(refused).toBe(401);

    const alice = await createTestProducer(db());
    const client = clientWith(alice.key);
    try {
      const failed = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: `subscription { events(topics: ["nope"]) { offset } }` },
          { next: resolve, error: resolve, complete: () => undefined },
        );
      });
      const errors = (
        Array.isArray(failed) ? failed : (failed as Result).errors
      ) as Result["errors"];
      expect(errors?.map((error) => error.extensions?.code)).toEqual(["validation_failed"]);

      const invalid = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: "{ me { password } }" },
          { next: resolve, error: resolve, complete: () => undefined },
        );
      });
      expect(
        (invalid as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code),
      ).toEqual(["validation_failed"]);
    } finally {
      await client.dispose();
    }
  });
});
