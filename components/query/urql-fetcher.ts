import type { GraphiQLProps } from "graphiql";
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import type { Client, OperationResult } from "urql";
import { onEnd, pipe, subscribe, type Source } from "wonka";

/** GraphiQL's fetcher contract: one result (or a Promise of it), or an Observable for streams. */
export type Fetcher = GraphiQLProps["fetcher"];
type FetcherParams = Parameters<Fetcher>[0];

type Observer<T> = {
  next: (value: T) => void;
  error: (error: unknown) => void;
  complete: () => void;
};
/** The Observable GraphiQL subscribes to: an observer, or its three callbacks. */
type Observable<T> = {
  subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void),
    onError?: ((error: unknown) => void) | null,
    onComplete?: () => void,
  ): { unsubscribe: () => void };
};

/** A result as GraphQL over HTTP puts it on the wire: what GraphiQL prints in its pane. */
export type WireResult = {
  data?: unknown;
  errors?: { message: string; locations?: unknown; path?: unknown; extensions?: unknown }[];
  extensions?: unknown;
};

/** The fragments an operation spreads, followed through fragments that spread others. */
function fragmentsUsedBy(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): Set<string> {
  const used = new Set<string>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  for (let node = pending.pop(); node; node = pending.pop()) {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        pending.push(fragment);
      },
    });
  }
  return used;
}

/**
 * The document to send for one operation, and its kind. urql names a request after the first
 * operation of its document and has no operationName of its own, so a document holding several
 * is cut down to the chosen one and the fragments it uses (unused ones would fail validation).
 * Throws GraphQLError on a syntax error or when it cannot tell which operation to run.
 */
export function selectOperation(
  query: string,
  operationName?: string | null,
): { document: DocumentNode; kind: OperationTypeNode } {
  const document = parse(query);
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  // GraphiQL learns an edited document's operation name a moment after the edit, so a run right
  // after a paste or a rename carries the previous name: with one operation, that one is meant.
  const chosen =
    (operationName
      ? operations.find((operation) => operation.name?.value === operationName)
      : undefined) ?? (operations.length === 1 ? operations[0] : undefined);
  if (!chosen) {
    throw new GraphQLError(
      operations.length === 0
        ? "The document has no operation to run."
        : operationName
          ? `The document has no operation named "${operationName}".`
          : "The document has several operations: put the cursor in the one to run.",
    );
  }
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode =>
          definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const used = fragmentsUsedBy(chosen, fragments);
  return {
    kind: chosen.operation,
    document: {
      ...document,
      definitions: document.definitions.filter(
        (definition) =>
          definition === chosen ||
          (definition.kind === Kind.FRAGMENT_DEFINITION && used.has(definition.name.value)),
      ),
    },
  };
}

const errorJson = (error: {
  message: string;
  locations?: unknown;
  path?: unknown;
  extensions?: unknown;
}) => ({
  message: error.message,
  ...(error.locations ? { locations: error.locations } : {}),
  ...(error.path ? { path: error.path } : {}),
  ...(error.extensions && Object.keys(error.extensions).length > 0
    ? { extensions: error.extensions }
    : {}),
});

/**
 * urql's result as the wire's: its CombinedError split back into GraphQL `errors`. A network
 * error (no GraphQL answer at all: offline, a socket closed) has no such form and is thrown.
 */
export function toWireResult(result: OperationResult): WireResult {
  const { error } = result;
  if (error?.networkError && error.graphQLErrors.length === 0) throw error.networkError;
  return {
    ...(result.data !== undefined ? { data: result.data as unknown } : {}),
    ...(error && error.graphQLErrors.length > 0
      ? { errors: error.graphQLErrors.map(errorJson) }
      : {}),
    ...(result.extensions ? { extensions: result.extensions } : {}),
  };
}

/**
 * A subscription's results as the Observable GraphiQL subscribes to: each result as the wire has
 * it, then complete when the stream ends (or error, for a network failure).
 */
function observe(source: Source<OperationResult>): Observable<WireResult> {
  return {
    subscribe(observerOrNext, onError, onComplete) {
      const observer: Partial<Observer<WireResult>> =
        typeof observerOrNext === "object"
          ? observerOrNext
          : { next: observerOrNext, error: onError ?? undefined, complete: onComplete };
      let failed = false;
      let last: OperationResult | undefined;
      // Set once pipe() returns; a result may arrive before that (end() then waits for it).
      const handle: { subscription?: { unsubscribe: () => void } } = {};
      let ended = false;
      const end = () => {
        ended = true;
        handle.subscription?.unsubscribe();
      };
      // onEnd runs when the stream ends and when it is unsubscribed.
      handle.subscription = pipe(
        source,
        onEnd(() => {
          if (!failed) observer.complete?.();
        }),
        subscribe((result: OperationResult) => {
          // When a stream completes, urql repeats its last result with hasNext: false (the same
          // data object) to end its source: not an event, so the pane does not show it as one.
          const repeat = result.hasNext === false && last && result.data === last.data;
          last = result;
          if (repeat) return;
          let wire: WireResult;
          try {
            wire = toWireResult(result);
          } catch (error) {
            failed = true;
            observer.error?.(error);
            return;
          }
          observer.next?.(wire);
          // The server refusing the subscription (graphql-ws's error message: errors and no
          // data) ends it, but urql leaves its source open after one: end it here.
          if (result.data === undefined && result.error) end();
        }),
      );
      if (ended) handle.subscription.unsubscribe();
      return { unsubscribe: () => handle.subscription?.unsubscribe() };
    },
  };
}

/**
 * GraphiQL's fetcher on an urql Client: queries and mutations resolve to their one result (always
 * from the network, never a cache); a subscription is an Observable whose every event replaces
 * the result pane, live, until the server completes it or the user stops it (GraphiQL then
 * unsubscribes, which tears the operation down on the socket).
 */
export function urqlFetcher(client: Client): Fetcher {
  const fetcher = (
    params: FetcherParams,
  ): WireResult | Promise<WireResult> | Observable<WireResult> => {
    let selected: ReturnType<typeof selectOperation>;
    try {
      selected = selectOperation(params.query, params.operationName);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [errorJson(error)] };
      throw error;
    }
    const variables = (params.variables ?? {}) as Record<string, unknown>;
    const { document, kind } = selected;
    if (kind === OperationTypeNode.SUBSCRIPTION) {
      return observe(client.subscription(document, variables));
    }
    const operation =
      kind === OperationTypeNode.MUTATION
        ? client.mutation(document, variables)
        : client.query(document, variables, { requestPolicy: "network-only" });
    return operation.toPromise().then(toWireResult);
  };
  // GraphiQL types results with GraphQLError instances; it only prints them as JSON, which is
  // exactly the wire form given here.
  return fetcher as Fetcher;
}
