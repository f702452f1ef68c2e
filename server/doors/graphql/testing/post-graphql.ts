import { POST } from "../graphql-route";

export type GraphQLResult = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
};

export const GRAPHQL_TEST_URL = "http://lake.test/api/v1/lake/graphql";

/** One operation POSTed to the door's route handler, as a client would send it. */
export async function postGraphQL(
  key: string | undefined,
  query: string | undefined,
  variables?: Record<string, unknown>,
  extensions?: Record<string, unknown>,
): Promise<{ status: number; headers: Headers; body: GraphQLResult }> {
  const response = await POST(
    new Request(GRAPHQL_TEST_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        ...(key ? { "x-api-key": key } : {}),
      },
      body: JSON.stringify({ query, variables, extensions }),
    }),
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResult,
  };
}

export const codesOf = (body: GraphQLResult) => body.errors?.map((error) => error.extensions.code);
