import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Stat } from "@/components/ui/stat";

import type { RecordView } from "./data-types";
import styles from "./record-meta.module.css";

/** A record's metadata: who owns it, when it changed, its state and the ETag edits send back. */
export function RecordMeta({ record, etag }: { record: RecordView; etag: string }) {
  return (
    <dl className={styles.meta}>
      <Stat label="ID" className={styles.wide}>
        <code data-testid="record-id">{record.id}</code>
      </Stat>
      <Stat label="Status">
        {record.archived ? (
          <Badge tone="neutral" data-testid="record-status">
            Archived
          </Badge>
        ) : (
          <Badge tone="success" data-testid="record-status">
            Active
          </Badge>
        )}
      </Stat>
      <Stat label="Created">
        <DateTime value={record.created_at} />
      </Stat>
      <Stat label="Updated">
        <DateTime value={record.updated_at} />
      </Stat>
      {record.archived_at && (
        <Stat label="Archived">
          <DateTime value={record.archived_at} />
        </Stat>
      )}
      <Stat label="Owner" className={styles.wide}>
        <code>{record.owner_id}</code>
      </Stat>
      <Stat label="ETag" className={styles.wide}>
        <code className={styles.etag} data-testid="record-etag">
          {etag}
        </code>
      </Stat>
    </dl>
  );
}
