import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";

import { cacheServices } from "../../cache/client";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { serviceContext } from "../../service-context";
import { consumeRateLimit, dataRateLimit } from "../rate-limits";
import { requestIdFrom } from "../rest/request-id";
import { authenticateUpgrade, type UpgradeCaller } from "../websocket/authenticate-upgrade";
import { connectionSlots } from "../websocket/connection-slots";
import { recheckConnections } from "../websocket/recheck-connections";
import { refuseUpgrade } from "../websocket/refuse-upgrade";
import { type WsHubOptions } from "../websocket/ws-hub";
import { toGraphQLError } from "./graphql-errors";
import { graphqlServer } from "./graphql-server";

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

const mapped = (result: ExecutionResult): ExecutionResult =>
  result.errors ? { ...result, errors: result.errors.map(toGraphQLError) } : result;

/**
 * GraphQL over WebSocket (the graphql-ws protocol) at the GraphQL path, for subscriptions (and
 * queries and mutations, which it carries too). The handshake is authenticated and counted as the
 * stream's (authenticateUpgrade: headers, a `lake.bearer.` subprotocol, or the console's
 * same-site session; the same connection limits, a budget of their own); an open socket's
 * credential is checked again every LAKE_WS_RECHECK_SECONDS and the socket closed (1008) once it
 * no longer holds. Each operation is charged to the data rate limit and run by the same yoga
 * instance — its schema, guard rails and error codes — with the caller's ServiceContext.
 */
export function createGraphQLWs(options: WsHubOptions) {
  const connections = new Map<WebSocket, UpgradeCaller>();
  const slots = connectionSlots(options.limits);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Never the lake.bearer. one: that would echo the credential back.
    handleProtocols: (offered) => (offered.has(GRAPHQL_WS_PROTOCOL) ? GRAPHQL_WS_PROTOCOL : false),
  });
  wss.on("connection", (socket) => socket.on("error", () => socket.terminate()));

  const server = useServer(
    {
      execute: (args) => (args.rootValue as Runner).execute(args) as never,
      subscribe: (args) => (args.rootValue as Runner).subscribe(args) as never,
      onSubscribe: async (context, _id, payload) => {
        const caller = connections.get(context.extra.socket)!;
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
      onNext: (_context, _id, _payload, _args, result) => mapped(result),
      onError: (_context, _id, _payload, errors) => errors.map(toGraphQLError),
    },
    wss,
  );

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const requestId = requestIdFrom(request.headers);
    const dropped = () => socket.destroy();
    socket.on("error", dropped);
    try {
      slots.assertRoom();
      const caller = await authenticateUpgrade({ request, ...options });
      if (socket.destroyed) return;
      const release = slots.acquire(caller.principal.userId);
      // The raw socket closes however the connection ends, handshake refused by ws included.
      socket.once("close", release);
      socket.off("error", dropped);
      wss.handleUpgrade(request, socket, head, (ws) => {
        connections.set(ws, caller);
        ws.once("close", () => connections.delete(ws));
        wss.emit("connection", ws, request);
      });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "internal_error")
        logger().error({ err: thrown, requestId }, "GraphQL WebSocket upgrade failed");
      refuseUpgrade(socket, error, requestId);
    }
  }

  let sweep: Promise<void> | undefined;
  /** One sweep at a time; a graphql-ws client is told by the close code alone (its protocol has no notice). */
  const recheck = () =>
    (sweep ??= recheckConnections(connections, () => undefined)
      .catch((error: unknown) =>
        logger().error({ err: error }, "GraphQL WebSocket credential check failed"),
      )
      .finally(() => (sweep = undefined)));
  const recheckTimer = setInterval(() => void recheck(), options.recheckMs).unref();

  return {
    handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      void handleUpgrade(request, socket, head),
    /** The periodic credential check, now (tests). */
    recheck,
    async close() {
      clearInterval(recheckTimer);
      for (const client of wss.clients) client.close(1001, "The server is shutting down.");
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
