import Link from "next/link";

import { Table } from "@/components/ui/table";

import { hitLabel } from "./hit-label";
import styles from "./search-results.module.css";
import type { SearchHit } from "./vector-types";

const PREVIEW_CHARS = 140;

/** Where the Data page opens one record: its dataset, with the record's dialog open. */
export function recordHref(datasetName: string, recordId: string): string {
  return `/data/${encodeURIComponent(datasetName)}?record=${encodeURIComponent(recordId)}`;
}

function preview(payload: Record<string, unknown>): string {
  const json = JSON.stringify(payload);
  return json.length > PREVIEW_CHARS ? `${json.slice(0, PREVIEW_CHARS - 1)}…` : json;
}

/** The hits, closest first, each linking to its record on the Data page. */
export function SearchResults({
  hits,
  datasetNames,
}: {
  hits: readonly SearchHit[];
  /** Dataset id → name, for the links (the Data page addresses datasets by name). */
  datasetNames: ReadonlyMap<string, string>;
}) {
  return (
    <Table caption="Search results, closest first" data-testid="vector-results">
      <thead>
        <tr>
          <th scope="col" data-align="end">
            #
          </th>
          <th scope="col" data-align="end">
            Score
          </th>
          <th scope="col">Dataset</th>
          <th scope="col">Payload</th>
          <th scope="col">
            <span className="sr-only">Open</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {hits.map((hit, index) => {
          const datasetName = datasetNames.get(hit.record.dataset_id);
          return (
            <tr key={hit.record.id} data-testid="vector-hit">
              <td data-align="end" className={styles.rank}>
                {index + 1}
              </td>
              <td
                data-align="end"
                className={styles.score}
                title={`distance ${hit.distance}`}
                data-testid="vector-hit-score"
              >
                {hit.score.toFixed(4)}
              </td>
              <td>{datasetName ?? <code>{hit.record.dataset_id}</code>}</td>
              <td>
                <code className={styles.payload} title={JSON.stringify(hit.record.payload)}>
                  {preview(hit.record.payload)}
                </code>
              </td>
              <td className={styles.open}>
                {datasetName && (
                  <Link
                    href={recordHref(datasetName, hit.record.id)}
                    aria-label={`Open ${hitLabel(hit)}`}
                  >
                    Open
                  </Link>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
