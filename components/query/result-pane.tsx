"use client";

import { useGraphiQL } from "@graphiql/react";
import { useMemo } from "react";

import { EmptyState } from "@/components/ui/empty-state";
import { SegmentedControl } from "@/components/ui/segmented-control";

import styles from "./result-pane.module.css";
import { cellText, parseResponse, resultTable, type ResultTable } from "./result-table";

export type ResultView = "json" | "table";

const VIEWS = [
  { value: "json", label: "JSON" },
  { value: "table", label: "Table" },
] as const;

/**
 * The top of GraphiQL's result pane (its footer slot, moved up by CSS): JSON or Table. JSON is
 * GraphiQL's own editor; Table flattens the result the pane holds (resultTable's rule), so it
 * follows each run and each event of a subscription.
 */
export function ResultPane({
  view,
  onView,
}: {
  view: ResultView;
  onView: (view: ResultView) => void;
}) {
  const response = useGraphiQL((state) => state.tabs[state.activeTabIndex]?.response ?? "");
  const table = useMemo(() => resultTable(parseResponse(response)), [response]);
  return (
    <div className={styles.pane}>
      <div className={styles.bar}>
        <SegmentedControl
          label="Result"
          options={VIEWS}
          value={view}
          onChange={onView}
          data-testid="result-view"
        />
        {view === "table" && table && (
          <span className={styles.caption} data-testid="result-table-caption">
            {table.rows.length} {table.rows.length === 1 ? "row" : "rows"} from{" "}
            <code>{table.path}</code>
          </span>
        )}
      </div>
      {view === "table" && (
        <div className={styles.body}>
          <TableView table={table} ran={response.trim() !== ""} />
        </div>
      )}
    </div>
  );
}

function TableView({ table, ran }: { table: ResultTable | null; ran: boolean }) {
  if (!ran) {
    return (
      <EmptyState
        title="No result yet"
        description="Run an operation (Ctrl-Enter, ⌘-Enter on a Mac) to see its rows here."
      />
    );
  }
  if (!table) {
    return (
      <EmptyState
        title="Nothing to put in a table"
        description="The result has no data: its errors are in the JSON view."
      />
    );
  }
  if (table.rows.length === 0) {
    return (
      <EmptyState
        title="No rows"
        description={
          <>
            The list at <code>{table.path}</code> is empty.
          </>
        }
      />
    );
  }
  return (
    <div className={styles.scroll}>
      <table className={styles.table} data-testid="result-table">
        <caption className="sr-only">Rows of {table.path}</caption>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, index) => (
            <tr key={index}>
              {row.map((value, column) => {
                const text = cellText(value);
                const nested = typeof value === "object" && value !== null;
                return (
                  <td key={column} data-nested={nested || undefined} title={text}>
                    {value === null ? <span className={styles.null}>null</span> : text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
