import styles from "./skeleton-rows.module.css";

/** The table's place while the first page loads, so the layout does not jump. */
export function SkeletonRows({ rows = 6 }: { rows?: number }) {
  return (
    <div className={styles.skeleton} aria-busy="true" data-testid="records-loading">
      <span className="sr-only">Loading records…</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className={styles.row} aria-hidden="true" />
      ))}
    </div>
  );
}
