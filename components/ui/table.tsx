import type { ReactNode } from "react";

import styles from "./table.module.css";

/**
 * A data table in a bordered, horizontally scrolling panel. Children are the <thead> and
 * <tbody>; the caption names the table for screen readers.
 */
export function Table({
  caption,
  children,
  "data-testid": testId,
}: {
  caption: string;
  children: ReactNode;
  "data-testid"?: string;
}) {
  return (
    <div className={styles.wrap}>
      <table className={styles.table} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
