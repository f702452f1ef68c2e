import { context as traceContext } from "@opentelemetry/api";
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from "graphql";
import { type SubscribePayload } from "graphql-ws";
import { useServer, type Extra } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

import { cacheServices } from "../../cache/client";
import { startRequestSpan } from "../../observability/request-span";
import { failSpan } from "../../observability/tracer";
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
/** OTel's attribute for it (still in the incubating set of the conventions). */
const ATTR_GRAPHQL_OPERATION_NAME = "graphql.operation.name";

type Runner = {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (args: ExecutionArgs) => unknown;
};

/** An operation's request span, started when its message arrives (see `onSubscribe`). */
type OperationSpan = ReturnType<typeof startRequestSpan>;

/**
 * Runs an operation in its span, which ends when it has run — a subscription's once it is set up
 * (its events are not one request): the resolvers' SQL and Redis calls appear under it.
 */
function runInSpan(args: ExecutionArgs, phase: keyof Runner): Promise<unknown> {
  const root = args.rootValue as Runner & { span: OperationSpan };
  const { span, context: spanContext } = root.span;
  return traceContext.with(spanContext, async () => {
    try {
      return await root[phase](args);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

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
      execute: (args) => runInSpan(args, "execute") as never,
      subscribe: (args) => runInSpan(args, "subscribe") as never,
      // Each operation message is a request, in a span of its own from here (authentication was
      // the handshake's): its rate limit, parsing and context, then its execution (runInSpan).
      onSubscribe: (context, _id, payload) => {
        const operation = startRequestSpan({
          door: "graphql-ws",
          name: `${GRAPHQL_WS_PROTOCOL} subscribe`,
          attributes: payload.operationName
            ? { [ATTR_GRAPHQL_OPERATION_NAME]: payload.operationName }
            : undefined,
        });
        return traceContext.with(operation.context, async () => {
          try {
            const prepared = await prepare(context, payload, operation);
            if (Array.isArray(prepared)) operation.span.end(); // refused: it will not run
            return prepared;
          } catch (error) {
            failSpan(operation.span, error);
            operation.span.end();
            throw error;
          }
        });
      },
      onNext: (_context, _id, _payload, _args, result) => withEnvelopeCodes(result),
      onError: (_context, _id, _payload, errors) => errors.map(toGraphQLError),
    },
    wss,
  );

  async function prepare(
    context: { extra: Extra },
    payload: SubscribePayload,
    span: OperationSpan,
  ) {
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
      rootValue: { execute, subscribe, span } satisfies Runner & { span: OperationSpan },
    };
  }

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
