/** What the search looks at for one operation. */
export type OperationIndexEntry = {
  id: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
};

/**
 * The operations matching a query: every word must appear in the method, path, summary or tag
 * (any case), so "post records" and "embeddings {id}" narrow as expected. Path matches rank
 * first — people mostly search by the URL they already hold.
 */
export function searchOperations(
  entries: readonly OperationIndexEntry[],
  query: string,
): OperationIndexEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored = entries.flatMap((entry) => {
    const path = entry.path.toLowerCase();
    const text = `${entry.method} ${path} ${entry.summary} ${entry.tag}`.toLowerCase();
    if (!words.every((word) => text.includes(word))) return [];
    const score = words.filter((word) => path.includes(word)).length;
    return [{ entry, score }];
  });
  return scored.sort((a, b) => b.score - a.score).map(({ entry }) => entry);
}
