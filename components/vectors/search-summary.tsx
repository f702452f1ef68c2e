import styles from "./search-summary.module.css";
import type { SearchOutcome } from "./vector-types";

function howServed(index: SearchOutcome["index"]): string {
  if (!index.used) {
    return index.method === "exact"
      ? "exact search (no ANN index for this type and metric)"
      : "exact search (the filters left the index short of k)";
  }
  return index.method === "ivfflat"
    ? `IVFFlat index, probes ${index.probes}`
    : `HNSW index, ef_search ${index.ef_search}`;
}

/** How many hits, how fast, and how they were found (an ANN index or an exact scan). */
export function SearchSummary({ outcome }: { outcome: SearchOutcome }) {
  const count = outcome.results.length;
  return (
    <p className={styles.summary} role="status" data-testid="vector-search-summary">
      <strong>{count === 1 ? "1 result" : `${count} results`}</strong> in{" "}
      {outcome.took_ms.toFixed(1)} ms · {howServed(outcome.index)}
    </p>
  );
}
