import { Button } from "@/components/ui/button";

import styles from "./records-pager.module.css";

/** Where the page is in the results, and the way to the pages around it. */
export function RecordsPager({
  page,
  first,
  shown,
  total,
  loading,
  onPrevious,
  onNext,
}: {
  /** 1-based. */
  page: number;
  /** The position of the page's first record in the results, 1-based. */
  first: number;
  shown: number;
  /** With count=exact only. */
  total: number | undefined;
  /** The next page is on its way: both buttons wait. */
  loading: boolean;
  /** Unset on the first page. */
  onPrevious?: () => void;
  /** Unset on the last page (no next_cursor). */
  onNext?: () => void;
}) {
  return (
    <nav className={styles.pager} aria-label="Pages">
      <p className={styles.range} data-testid="records-range">
        {shown > 0 ? `Page ${page} · records ${first}–${first + shown - 1}` : `Page ${page}`}
        {total !== undefined && (
          <>
            {" of "}
            <strong data-testid="records-total">{total.toLocaleString("en")}</strong>
          </>
        )}
      </p>
      <div className={styles.buttons}>
        <Button
          size="sm"
          disabled={!onPrevious || loading}
          onClick={onPrevious}
          data-testid="page-previous"
        >
          ← Previous
        </Button>
        <Button
          size="sm"
          disabled={!onNext || loading}
          pending={loading}
          onClick={onNext}
          data-testid="page-next"
        >
          Next page →
        </Button>
      </div>
    </nav>
  );
}
