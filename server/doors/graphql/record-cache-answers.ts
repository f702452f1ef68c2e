import {
  type DocumentNode,
  getOperationAST,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
} from "graphql";

/** Whether every selection is a field with no selections of its own (a scalar, JSON, an enum). */
const onlyLeaves = (set: SelectionSetNode) =>
  set.selections.every((selection) => selection.kind === Kind.FIELD && !selection.selectionSet);

const answers = new WeakMap<DocumentNode, Map<string, boolean>>();

/**
 * Whether an operation asks only for records by id and their own fields — `{ record(id) { id
 * payload … } }`, as often as aliased — which the record service serves whole from its own cache
 * (server/data/records/record-cache.ts, checked against the dataset's version). The response
 * cache would only keep a second copy: three more round trips to Redis on a miss, none saved on a
 * hit. A fragment, a relation or any other field keeps the response cache. Memoised per parsed
 * document, which yoga keeps between requests.
 */
export function answeredByRecordCache(
  document: DocumentNode,
  operationName?: string | null,
): boolean {
  let byOperation = answers.get(document);
  if (!byOperation) answers.set(document, (byOperation = new Map<string, boolean>()));
  const key = operationName ?? "";
  let answer = byOperation.get(key);
  if (answer === undefined) {
    const operation = getOperationAST(document, operationName);
    answer =
      operation?.operation === OperationTypeNode.QUERY &&
      operation.selectionSet.selections.every(
        (selection) =>
          selection.kind === Kind.FIELD &&
          selection.name.value === "record" &&
          selection.selectionSet !== undefined &&
          onlyLeaves(selection.selectionSet),
      );
    byOperation.set(key, answer);
  }
  return answer;
}
