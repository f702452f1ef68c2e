import { buttonProps } from "@/components/ui/button";

import styles from "./export-links.module.css";

/**
 * Downloads of every record the grid's query matches (all pages), through the API's export
 * endpoint with the console's session: the same permission and policy checks as the API gives
 * its users, and the same file.
 */
export function ExportLinks({ queryString }: { queryString: string }) {
  const href = (format: "csv" | "ndjson") =>
    `/api/v1/lake/data/export?${queryString}&format=${format}`;
  return (
    <div className={styles.links} role="group" aria-label="Export all matching records">
      <span className={styles.label} aria-hidden="true">
        Export
      </span>
      <a {...buttonProps("secondary", "sm")} href={href("csv")} download data-testid="export-csv">
        CSV<span className="sr-only"> (all matching records)</span>
      </a>
      <a
        {...buttonProps("secondary", "sm")}
        href={href("ndjson")}
        download
        data-testid="export-ndjson"
      >
        NDJSON<span className="sr-only"> (all matching records)</span>
      </a>
    </div>
  );
}
