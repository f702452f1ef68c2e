import { Button } from "@/components/ui/button";

import styles from "./users-pager.module.css";

/** "21–40 of 57" and the previous/next buttons, which are truly disabled at either end. */
export function UsersPager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className={styles.pager} aria-label="Pages of users">
      <p className={styles.range} aria-live="polite" data-testid="users-range">
        {total === 0
          ? "No users"
          : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}`}
        {pages > 1 && (
          <span className={styles.page}>
            {" "}
            · page {page} of {pages}
          </span>
        )}
      </p>
      <div className={styles.buttons}>
        <Button size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous<span className="sr-only"> page</span>
        </Button>
        <Button size="sm" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next<span className="sr-only"> page</span>
        </Button>
      </div>
    </nav>
  );
}
