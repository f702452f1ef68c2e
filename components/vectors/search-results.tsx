import { Button } from "@/components/ui/button";

import { hitLabel } from "./hit-label";
import { summarizePayload } from "./payload-summary";
import styles from "./search-results.module.css";
import type { SearchHit } from "./vector-types";

/** Where the Data page opens one record: its dataset, with the record's dialog open. */
export function recordHref(datasetName: string, recordId: string): string {
  return `/data/${encodeURIComponent(datasetName)}?record=${encodeURIComponent(recordId)}`;
}

/**
 * The hits, closest first: rank, score and dataset on one line, the payload's first fields under
 * it, and "Open" for the record's dialog. A list rather than a table, so it wraps to any width —
 * a table of raw JSON overflowed its card and pushed "Open" off-screen.
 */
export function SearchResults({
  hits,
  datasetNames,
  onOpen,
}: {
  hits: readonly SearchHit[];
  /** Dataset id → name. */
  datasetNames: ReadonlyMap<string, string>;
  onOpen: (hit: SearchHit) => void;
}) {
  return (
    <ol
      className={styles.list}
      aria-label="Search results, closest first"
      data-testid="vector-results"
    >
      {hits.map((hit, index) => {
        const summary = summarizePayload(hit.record.payload);
        return (
          <li key={hit.record.id} className={styles.hit} data-testid="vector-hit">
            <div className={styles.head}>
              <span className={styles.rank}>#{index + 1}</span>
              <span className={styles.score} title={`distance ${hit.distance}`}>
                <span className="sr-only">score </span>
                <span data-testid="vector-hit-score">{hit.score.toFixed(4)}</span>
              </span>
              <span className={styles.dataset}>
                {datasetNames.get(hit.record.dataset_id) ?? hit.record.dataset_id}
              </span>
              <Button
                size="sm"
                variant="secondary"
                className={styles.open}
                onClick={() => onOpen(hit)}
                aria-label={`Open ${hitLabel(hit)}`}
              >
                Open
              </Button>
            </div>
            <dl className={styles.payload} data-testid="vector-hit-payload">
              {summary.fields.map((field) => (
                <div key={field.key} className={styles.field}>
                  <dt>{field.key}</dt>
                  <dd>{field.value}</dd>
                </div>
              ))}
              {summary.more > 0 && (
                <div className={styles.field}>
                  <dt className="sr-only">More</dt>
                  <dd className={styles.more}>
                    +{summary.more} more {summary.more === 1 ? "field" : "fields"}
                  </dd>
                </div>
              )}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}
