import {
  type DocumentNode,
  getOperationAST,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
} from "graphql";

import { documentMemo } from "./document-memo";

/** Whether every selection is a field with no selections of its own (a scalar, JSON, an enum). */
const onlyLeaves = (set: SelectionSetNode) =>
  set.selections.every((selection) => selection.kind === Kind.FIELD && !selection.selectionSet);

const answers = documentMemo<boolean>(16);

/**
 * Whether an operation asks only for records by id and their own fields — `{ record(id) { id
 * payload … } }`, as often as aliased — which the record service serves whole from its own cache
 * (server/data/records/record-cache.ts, checked against the dataset's version). The response
 * cache would only keep a second copy: three more round trips to Redis on a miss, none saved on a
 * hit. A fragment, a relation or any other field keeps the response cache.
 */
export function answeredByRecordCache(
  document: DocumentNode,
  operationName?: string | null,
): boolean {
  return answers(document, operationName ?? "", () => {
    const operation = getOperationAST(document, operationName);
    return (
      operation?.operation === OperationTypeNode.QUERY &&
      operation.selectionSet.selections.every(
        (selection) =>
          selection.kind === Kind.FIELD &&
          selection.name.value === "record" &&
          selection.selectionSet !== undefined &&
          onlyLeaves(selection.selectionSet),
      )
    );
  });
}
