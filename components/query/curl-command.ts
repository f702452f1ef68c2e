import { shellQuote } from "@/components/api-reference/curl";

export type GraphQLRequest = {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string | null;
  /** A subscription: asked for as server-sent events, which curl prints as they come (-N). */
  subscription?: boolean;
};

/**
 * A curl command that runs a GraphQL operation against the endpoint as an API key would: the
 * key comes from `$LAKE_API_KEY` (double quotes, so the shell expands it), never the console's
 * session cookie. The body is JSON on one line (JSON escapes newlines), single-quoted for the
 * shell; it always starts with `{`, so curl's `-d @file` never applies. A subscription streams
 * over server-sent events, the door's other transport for them.
 */
export function graphqlCurlCommand(endpoint: string, request: GraphQLRequest): string {
  const body = JSON.stringify({
    query: request.query,
    ...(request.variables && Object.keys(request.variables).length > 0
      ? { variables: request.variables }
      : {}),
    ...(request.operationName ? { operationName: request.operationName } : {}),
  });
  return [
    `curl ${request.subscription ? "-N " : ""}${shellQuote(endpoint)}`,
    `-H "Authorization: Bearer $LAKE_API_KEY"`,
    `-H ${shellQuote("Content-Type: application/json")}`,
    ...(request.subscription ? [`-H ${shellQuote("Accept: text/event-stream")}`] : []),
    `-d ${shellQuote(body)}`,
  ].join(" \\\n  ");
}
