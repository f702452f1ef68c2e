/**
 * The names a write marks on the change clock (server/cache/change-clock.ts) and a cache checks:
 * the writers below mark them, so a reader of any door can depend on them.
 */
export const dataChanges = {
  /** A dataset's records, or the dataset itself (policy, schema, deletion). */
  dataset: (datasetId: string) => `dataset:${datasetId}`,
  /** Any record of any dataset: what a read across datasets depends on. */
  anyRecord: "records",
  /** Which datasets exist, and their names. */
  datasetList: "datasets",
  /** Any embedding of any type. */
  embeddings: "embeddings",
} as const;
