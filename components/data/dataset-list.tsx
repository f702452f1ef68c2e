import Link from "next/link";

import type { DatasetView } from "./data-types";
import styles from "./dataset-list.module.css";
import { PolicyBadge } from "./policy-badge";

function records(count: number): string {
  return count === 1 ? "1 record" : `${count.toLocaleString("en")} records`;
}

/** The datasets as links (so each has its own URL); the open one is marked current. */
export function DatasetList({
  datasets,
  selected,
}: {
  datasets: readonly DatasetView[];
  selected: string | null;
}) {
  return (
    <nav aria-label="Datasets" className={styles.nav}>
      <ul className={styles.list} data-testid="dataset-list">
        {datasets.map((dataset) => (
          <li key={dataset.id}>
            <Link
              href={`/data/${encodeURIComponent(dataset.name)}`}
              className={styles.item}
              aria-current={dataset.name === selected ? "page" : undefined}
              data-testid="dataset-item"
              data-name={dataset.name}
            >
              <span className={styles.name}>{dataset.name}</span>
              <span className={styles.meta}>
                <PolicyBadge policy={dataset.policy} />
                <span className={styles.count} data-testid="dataset-record-count">
                  {records(dataset.record_count)}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
