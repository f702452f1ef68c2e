import { randomUUID } from "node:crypto";

import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { createDataset } from "../../data/datasets/create-dataset";
import { createRecords } from "../../data/records/create-records";
import { serviceContext } from "../../service-context";
import { databaseBackends } from "../../testing/backends";
import { createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { POST } from "./graphql-route";

type Result = { data?: Record<string, unknown> | null; errors?: unknown[] };

/** A second Datapunk service's subgraph: it extends the Lake's records with a score of its own. */
const QUALITY_SUBGRAPH = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Record @key(fields: "id") {
    id: ID!
    qualityScore: Float
  }
  type Query {
    lowestQuality(first: Int): [Record!]!
  }
`;

describe.each(databaseBackends)(
  "the GraphQL door as a federation subgraph on $name PostgreSQL",
  (backend) => {
    const { db } = useTestServices(backend);

    const graphql = async (key: string, query: string, variables?: Record<string, unknown>) => {
      const response = await POST(
        new Request("http://lake.test/api/v1/lake/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify({ query, variables }),
        }),
      );
      return (await response.json()) as Result;
    };

    it("serves its SDL with entity keys, and composes with another subgraph", async () => {
      const { key } = await createTestProducer(db());
      const { data } = await graphql(key, "{ _service { sdl } }");
      const sdl = (data!._service as { sdl: string }).sdl;
      for (const entity of ["Record", "Dataset", "User"]) {
        expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
      }
      const composed = composeServices([
        { name: "lake", typeDefs: parse(sdl), url: "http://lake.test/api/v1/lake/graphql" },
        { name: "quality", typeDefs: parse(QUALITY_SUBGRAPH), url: "http://quality.test/graphql" },
      ]);
      expect(composed.errors ?? []).toEqual([]);
      // The supergraph's Record has the Lake's fields and the other service's.
      expect(composed.publicSdl).toMatch(/qualityScore: Float/);
      expect(composed.publicSdl).toMatch(/userData\(userId: ID!\): UserData/);
    });

    it("resolves entity references with the caller's policies: a hidden record is null", async () => {
      const alice = await createTestProducer(db());
      const bob = await createTestProducer(db());
      const asAlice = serviceContext({ principal: alice.principal });
      const dataset = await createDataset({
        ...asAlice,
        name: `fed_${randomUUID().slice(0, 8)}`,
        policy: "user_data",
      });
      const [record] = await createRecords({
        ...asAlice,
        dataset: dataset.name,
        payloads: [{ n: 1 }],
      });
      const entities = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Record { id payload }
        ... on Dataset { name }
        ... on User { id email }
      }
    }`;
      const representations = [
        { __typename: "Record", id: record!.id },
        { __typename: "Dataset", id: dataset.id },
        { __typename: "User", id: alice.principal.userId },
      ];
      expect((await graphql(alice.key, entities, { representations })).data).toEqual({
        _entities: [
          { id: record!.id, payload: { n: 1 } },
          { name: dataset.name },
          { id: alice.principal.userId, email: alice.principal.email },
        ],
      });
      expect((await graphql(bob.key, entities, { representations })).data).toEqual({
        _entities: [null, { name: dataset.name }, { id: alice.principal.userId, email: null }],
      });
    });
  },
);
