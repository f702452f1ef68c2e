import { apiRoute } from "../rest/api-route";
import { dataRateLimit } from "../rate-limits";
import { graphQLErrorResponse } from "./graphql-errors";
import { GRAPHQL_PATH, graphqlServer } from "./graphql-server";

/**
 * The GraphQL door: the REST door's authentication, data rate limit (one request, one charge,
 * the same RateLimit-* headers) and request id, then graphql-yoga with the caller's
 * ServiceContext. Each field's service checks its own permission and policy, as under REST.
 */
const handle = apiRoute({
  endpoint: GRAPHQL_PATH,
  door: "graphql",
  permission: "authenticated",
  rateLimit: dataRateLimit,
  renderError: graphQLErrorResponse,
  handler: async ({ request, services }) => graphqlServer().handle(request, { services }),
});

export const GET = handle;
export const POST = handle;
