import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

import type { DatasetView } from "./data-types";
import styles from "./dataset-header.module.css";
import { PolicyBadge } from "./policy-badge";
import { SchemaDetails } from "./schema-details";

/** The open dataset: its name, policy and schema, and what can be done to it. */
export function DatasetHeader({
  dataset,
  onNewRecord,
  onDelete,
}: {
  dataset: DatasetView;
  onNewRecord: () => void;
  onDelete: () => void;
}) {
  return (
    <header className={styles.header}>
      <div className={styles.title}>
        <div className={styles.nameRow}>
          <h2 className={styles.name} data-testid="dataset-title">
            {dataset.name}
          </h2>
          <PolicyBadge policy={dataset.policy} />
          <Badge tone="neutral" icon={false}>
            {dataset.schema ? "JSON Schema" : "Any JSON object"}
          </Badge>
          {dataset.payload_index !== "off" && (
            <Badge
              tone={dataset.payload_index === "ready" ? "neutral" : "active"}
              icon={dataset.payload_index === "building"}
              data-testid="dataset-payload-index"
              title="A GIN index of the payloads serves cs (contains) filters."
            >
              {dataset.payload_index === "ready" ? "Payload index" : "Building payload index…"}
            </Badge>
          )}
        </div>
        {dataset.description && <p className={styles.description}>{dataset.description}</p>}
        {dataset.schema && <SchemaDetails schema={dataset.schema} />}
      </div>
      <div className={styles.actions}>
        <Button onClick={onDelete} className={styles.delete} data-testid="dataset-delete">
          Delete dataset…
        </Button>
        <Button variant="primary" onClick={onNewRecord} data-testid="record-new">
          New record
        </Button>
      </div>
    </header>
  );
}
