import { Button } from "@/components/ui/button";

import styles from "./bulk-bar.module.css";
import type { ArchivedFilter } from "./record-query";

/** What can be done to the ticked rows: archive what is active, restore what is archived. */
export function BulkBar({
  count,
  archived,
  pending,
  onArchive,
  onRestore,
  onClear,
}: {
  count: number;
  /** The table's archived setting decides which actions make sense. */
  archived: ArchivedFilter;
  pending: boolean;
  onArchive: () => void;
  onRestore: () => void;
  onClear: () => void;
}) {
  return (
    <div className={styles.bar} role="region" aria-label="Selected records" data-testid="bulk-bar">
      <span className={styles.count} data-testid="bulk-count">
        {count === 1 ? "1 record selected" : `${count} records selected`}
      </span>
      {archived !== "true" && (
        <Button size="sm" onClick={onArchive} disabled={pending} data-testid="bulk-archive">
          Archive
        </Button>
      )}
      {archived !== "false" && (
        <Button size="sm" onClick={onRestore} disabled={pending} data-testid="bulk-restore">
          Restore
        </Button>
      )}
      <Button size="sm" variant="ghost" onClick={onClear} disabled={pending}>
        Clear selection
      </Button>
    </div>
  );
}
