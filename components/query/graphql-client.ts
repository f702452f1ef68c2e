import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";

/** The GraphQL door's path (server/doors/graphql/graphql-server.ts), HTTP and WebSocket alike. */
export const GRAPHQL_PATH = "/api/v1/lake/graphql";

/** The endpoint on this page's origin, for HTTP and for graphql-ws. */
export function graphqlEndpoints(location: Pick<Location, "protocol" | "host" | "origin">) {
  const wsScheme = location.protocol === "https:" ? "wss:" : "ws:";
  return {
    http: `${location.origin}${GRAPHQL_PATH}`,
    ws: `${wsScheme}//${location.host}${GRAPHQL_PATH}`,
  };
}

/**
 * The Query page's urql client. Queries and mutations are POSTed (not GET: the operation would
 * land in URLs and logs) to the same origin, where the console's session cookie signs them in;
 * subscriptions go over graphql-ws on the same path, whose handshake the same cookie signs in
 * (the server checks that it comes from a page of this site). The socket opens with the first
 * subscription and closes after the last one.
 */
export function createQueryClient(endpoints: { http: string; ws: string }) {
  // Made on first use and again after close(), so closing (the page unmounting, or React's
  // development double mount) never leaves a client that can no longer subscribe.
  let ws: WsClient | null = null;
  const socket = () => (ws ??= createWsClient({ url: endpoints.ws, lazy: true, retryAttempts: 3 }));
  const client = new Client({
    url: endpoints.http,
    preferGetMethod: false,
    requestPolicy: "network-only",
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: socket().subscribe({ ...request, query: request.query ?? "" }, sink),
          }),
        }),
      }),
    ],
  });
  return {
    client,
    /** Ends every subscription and closes the socket. */
    close: () => {
      const open = ws;
      ws = null;
      void open?.dispose();
    },
  };
}
