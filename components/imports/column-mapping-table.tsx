"use client";

import { Table } from "@/components/ui/table";

import type { ColumnChoice } from "./column-mapping";
import styles from "./import-preview.module.css";

/**
 * One line per source column: import it (under the field name typed, its own by default) or
 * skip it. Sent as the upload's `mapping` metadata, which the server applies to every row.
 */
export function ColumnMappingTable({
  choices,
  problems,
  onChange,
}: {
  choices: readonly ColumnChoice[];
  problems: ReadonlyMap<string, string>;
  onChange: (source: string, patch: Partial<ColumnChoice>) => void;
}) {
  return (
    <Table caption="Column mapping" data-testid="column-mapping">
      <thead>
        <tr>
          <th scope="col">Column in the file</th>
          <th scope="col">Import</th>
          <th scope="col">As payload field</th>
        </tr>
      </thead>
      <tbody>
        {choices.map((choice, index) => {
          const problem = problems.get(choice.source);
          const errorId = `mapping-error-${index}`;
          return (
            <tr key={choice.source} data-testid="mapping-row" data-source={choice.source}>
              <th scope="row">
                <code>{choice.source}</code>
              </th>
              <td>
                <input
                  type="checkbox"
                  className={styles.keep}
                  checked={choice.keep}
                  onChange={(event) => onChange(choice.source, { keep: event.target.checked })}
                  aria-label={`Import column ${choice.source}`}
                />
              </td>
              <td>
                <input
                  className={styles.target}
                  value={choice.target}
                  disabled={!choice.keep}
                  onChange={(event) => onChange(choice.source, { target: event.target.value })}
                  aria-label={`Payload field for column ${choice.source}`}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? errorId : undefined}
                  spellCheck={false}
                />
                {problem && (
                  <span id={errorId} className={styles.problem}>
                    {problem}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
