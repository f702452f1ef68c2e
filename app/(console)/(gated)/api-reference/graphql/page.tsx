import type { Metadata } from "next";

import { DoorsNav } from "@/components/api-reference/doors-nav";
import { GraphqlDoor } from "@/components/api-reference/graphql-door";
import { PageHeader } from "@/components/ui/page-header";
import { GRAPHQL_LIMITS } from "@/server/doors/graphql/graphql-server";
import { env } from "@/server/env";

import { publicOrigin } from "../public-origin";

export const metadata: Metadata = { title: "GraphQL · API reference" };

export default async function GraphqlReferencePage() {
  const config = env();
  return (
    <>
      <PageHeader
        title="GraphQL"
        description="/api/v1/lake/graphql: queries, mutations and subscriptions on the same services and policies as REST."
      />
      <DoorsNav current="graphql" />
      <GraphqlDoor
        limits={{
          origin: await publicOrigin(),
          maxCost: config.LAKE_GRAPHQL_MAX_COST,
          cacheTtlSeconds: config.LAKE_GRAPHQL_CACHE_TTL,
          ...GRAPHQL_LIMITS,
        }}
      />
    </>
  );
}
