import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export type GraphQLResult = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

/** A running operation: its results so far (a failure among them, as an errors result). */
export type Subscriber = { results: GraphQLResult[]; close: () => Promise<void> };

const GRAPHQL_PATH = "/api/v1/lake/graphql";

/** A failure outside any result (a refused handshake, a closed socket), kept beside the results. */
const failureResult = (error: unknown): GraphQLResult => ({
  errors: Array.isArray(error)
    ? (error as GraphQLResult["errors"])
    : [{ message: error instanceof Error ? error.message : JSON.stringify(error) }],
});

/**
 * An operation over graphql-ws on a Lake, its handshake carrying an API key as a server-side
 * client's would; one client (one socket) per operation, closed with it.
 */
export function graphqlWsSubscriber(
  baseURL: string,
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Subscriber {
  const client: Client = createClient({
    url: baseURL.replace("http", "ws") + GRAPHQL_PATH,
    retryAttempts: 0,
    lazy: false,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { "x-api-key": key } });
      }
    },
  });
  const results: GraphQLResult[] = [];
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (result) => results.push(result as GraphQLResult),
      error: (error) => results.push(failureResult(error)),
      complete: () => undefined,
    },
  );
  return {
    results,
    close: async () => {
      unsubscribe();
      await client.dispose();
    },
  };
}

/**
 * An operation over server-sent events (POST, Accept: text/event-stream) on a Lake. It resolves
 * with the response, which the server sends once the subscription is open: whatever is stored
 * after that is among the results.
 */
export async function sseSubscriber(
  baseURL: string,
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Subscriber & { status: number }> {
  const controller = new AbortController();
  const response = await fetch(baseURL + GRAPHQL_PATH, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", "x-api-key": key },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const results: GraphQLResult[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffered += decoder.decode(chunk.value, { stream: true });
      for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
        const lines = buffered.slice(0, end).split("\n");
        buffered = buffered.slice(end + 2);
        const field = (name: string) =>
          lines
            .find((line) => line.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        if (field("event") === "next") results.push(JSON.parse(field("data")!) as GraphQLResult);
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) results.push(failureResult(error));
  });
  return {
    status: response.status,
    results,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
