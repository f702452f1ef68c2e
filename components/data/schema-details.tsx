import { prettyJson } from "./payload-json";
import styles from "./schema-details.module.css";

/** The dataset's JSON Schema, folded away until wanted: a reference while writing a payload. */
export function SchemaDetails({
  schema,
  open,
}: {
  schema: Record<string, unknown>;
  open?: boolean;
}) {
  return (
    <details className={styles.details} open={open}>
      <summary className={styles.summary}>Dataset JSON Schema</summary>
      <pre className={styles.schema} data-testid="dataset-schema">
        {prettyJson(schema)}
      </pre>
    </details>
  );
}
