import { type DocumentNode } from "graphql";

/**
 * Answers worked out once per parsed document (yoga's parser cache hands the same document to
 * every request with the same query text) and per key within it, at most `perDocument` keys each:
 * past that, that document's answers start afresh.
 */
export function documentMemo<T>(perDocument: number) {
  const answers = new WeakMap<DocumentNode, Map<string, T>>();
  return (document: DocumentNode, key: string, compute: () => T): T => {
    let known = answers.get(document);
    if (!known) answers.set(document, (known = new Map<string, T>()));
    if (known.has(key)) return known.get(key)!;
    const answer = compute();
    if (known.size >= perDocument) known.clear();
    known.set(key, answer);
    return answer;
  };
}
