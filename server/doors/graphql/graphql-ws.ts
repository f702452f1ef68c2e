import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

import { cacheServices } from "../../cache/client";
import { serviceContext } from "../../service-context";
import { consumeRateLimit, dataRateLimit } from "../rate-limits";
import { requestIdFrom } from "../rest/request-id";
import {
  authenticatedSockets,
  type WebSocketDoorOptions,
} from "../websocket/authenticated-sockets";
import { toGraphQLError, withEnvelopeCodes } from "./graphql-errors";
import { GRAPHQL_PATH, graphqlServer } from "./graphql-server";

/** The graphql-ws protocol's name: a client offers it, the server selects it. */
const GRAPHQL_WS_PROTOCOL = "graphql-transport-ws";

type Runner = {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (args: ExecutionArgs) => unknown;
};

/** What yoga's envelop gives one operation: its schema and the phases with yoga's plugins. */
type Enveloped = Runner & {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  contextFactory: () => Promise<Record<string, unknown>>;
};

/**
 * GraphQL over WebSocket (the graphql-ws protocol) at the GraphQL path, for subscriptions (and
 * queries and mutations, which it carries too). The handshake is authenticated and counted as the
 * stream's (authenticateUpgrade: headers, a `lake.bearer.` subprotocol, or the console's
 * same-site session; the same connection limits, a budget of their own); an open socket's
 * credential is checked again every LAKE_WS_RECHECK_SECONDS and the socket closed (1008) once it
 * no longer holds. Each operation is charged to the data rate limit and run by the same yoga
 * instance — its schema, guard rails and error codes — with the caller's ServiceContext.
 */
export function createGraphQLWs(options: WebSocketDoorOptions) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Never the lake.bearer. one: that would echo the credential back.
    handleProtocols: (offered) => (offered.has(GRAPHQL_WS_PROTOCOL) ? GRAPHQL_WS_PROTOCOL : false),
  });
  wss.on("connection", (socket) => socket.on("error", () => socket.terminate()));
  const sockets = authenticatedSockets({
    wss,
    endpoint: GRAPHQL_PATH,
    config: options,
    open: (ws, _caller, request) => wss.emit("connection", ws, request),
    // graphql-ws has no message for it: the client learns from the close code (1008).
    notify: () => undefined,
  });

  const server = useServer(
    {
      execute: (args) => (args.rootValue as Runner).execute(args) as never,
      subscribe: (args) => (args.rootValue as Runner).subscribe(args) as never,
      onSubscribe: async (context, _id, payload) => {
        const caller = sockets.callerOf(context.extra.socket)!;
        const services = serviceContext({
          principal: caller.principal,
          ip: caller.ip,
          requestId: requestIdFrom(context.extra.request.headers),
        });
        try {
          await consumeRateLimit({
            cache: cacheServices(),
            principal: caller.principal,
            rule: dataRateLimit,
          });
        } catch (error) {
          return [toGraphQLError(error)];
        }
        const yoga = graphqlServer();
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          services,
          request: context.extra.request,
          params: payload,
        }) as Enveloped;
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [toGraphQLError(error)];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors.map(toGraphQLError);
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies Runner,
        };
      },
      onNext: (_context, _id, _payload, _args, result) => withEnvelopeCodes(result),
      onError: (_context, _id, _payload, errors) => errors.map(toGraphQLError),
    },
    wss,
  );

  return {
    handleUpgrade: sockets.handleUpgrade,
    /** The periodic credential check, now (tests). */
    recheck: sockets.recheck,
    async close() {
      sockets.stop();
      for (const client of wss.clients) client.close(1001, "The server is shutting down.");
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
