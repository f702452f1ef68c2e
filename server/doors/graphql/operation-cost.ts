import { type DocumentNode, GraphQLError, type GraphQLSchema } from "graphql";
import { type Plugin } from "graphql-yoga";
import { directiveEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";

import { documentMemo } from "./document-memo";

/**
 * The cost model, in the SDL: every field costs 1; a list field says its own cost and the
 * argument that sizes it, `@complexity(value: 2, multipliers: ["first"])`, so 50 records with
 * five fields each cost (5 + 2) × 50. The `first` defaults count when a query leaves them out.
 */
export const COMPLEXITY_DIRECTIVE = /* GraphQL */ `
  "What a field costs in an operation's cost (see the Lake's README: GraphQL guard rails)."
  directive @complexity(value: Int!, multipliers: [String!]) on FIELD_DEFINITION
`;

const estimators = [
  directiveEstimator({ name: "complexity" }),
  simpleEstimator({ defaultComplexity: 1 }),
];

/** A few costs per parsed document: one per shape of its variables (costKey). */
const costs = documentMemo<number>(64);

/**
 * What of the variables can change the cost: numbers (a list's size) and arrays' lengths reach
 * the estimators, booleans choose fields (@include, @skip); a string never does, so `record(id:)`
 * with any id is one entry.
 */
const costKey = (operationName: string | null | undefined, variables: unknown) =>
  `${operationName ?? ""}|${JSON.stringify(variables ?? {}, (_, value: unknown) =>
    typeof value === "string" ? "" : value,
  )}`;

function costOf(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: Record<string, unknown> | null;
  operationName?: string | null;
}): number {
  return costs(args.document, costKey(args.operationName, args.variableValues), () =>
    getComplexity({
      schema: args.schema,
      query: args.document,
      variables: args.variableValues ?? {},
      operationName: args.operationName ?? undefined,
      estimators,
    }),
  );
}

function refuse(cost: number, maxCost: number): never {
  throw new GraphQLError(
    `The operation costs ${cost}, over the limit of ${maxCost}: ask for fewer items (first) or fewer fields.`,
    { extensions: { code: "bad_request", cost, max_cost: maxCost, http: { status: 400 } } },
  );
}

/**
 * Each operation's cost, computed before it runs from its fields, its list sizes and its
 * variables: above `maxCost` it is refused with its cost in the error; otherwise its result says
 * what it cost (`extensions.cost`), so a client can see how close it is.
 */
export function useOperationCost(maxCost: number): Plugin {
  return {
    onExecute({ args }) {
      const cost = costOf(args);
      if (cost > maxCost) refuse(cost, maxCost);
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          setResult({
            ...result,
            extensions: { ...result.extensions, cost: { requested: cost, maximum: maxCost } },
          });
        },
      };
    },
    onSubscribe({ args }) {
      const cost = costOf(args);
      if (cost > maxCost) refuse(cost, maxCost);
    },
  };
}
