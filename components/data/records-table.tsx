import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/date-time";
import { Table } from "@/components/ui/table";

import type { RecordRow } from "./data-types";
import { restOf, type GridColumn, type GridColumns } from "./grid-columns";
import { compactJson } from "./payload-json";
import type { SortOrder } from "./record-query";
import styles from "./records-table.module.css";

/** The API's default order, which the table shows on created_at until another is chosen. */
const DEFAULT_SORT = { key: "created_at", direction: "desc" } as const;

function Value({ value }: { value: unknown }) {
  if (value === undefined) return null;
  if (value === null) return <span className={styles.null}>null</span>;
  if (typeof value === "string") return <>{value}</>;
  if (typeof value === "number" || typeof value === "boolean") return <>{String(value)}</>;
  return <code className={styles.json}>{compactJson(value)}</code>;
}

function titleOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : compactJson(value);
}

function SortHeader({
  label,
  sortKey,
  order,
  onSort,
  numeric = false,
}: {
  label: string;
  /** null: the column cannot be sorted on (a key the query syntax cannot name). */
  sortKey: string | null;
  order: SortOrder;
  onSort: (key: string) => void;
  /** Numbers' columns are right-aligned, header included. */
  numeric?: boolean;
}) {
  const effective = order ?? DEFAULT_SORT;
  const direction = sortKey !== null && effective.key === sortKey ? effective.direction : null;
  return (
    <th
      scope="col"
      className={styles.field}
      data-align={numeric ? "end" : undefined}
      aria-sort={
        direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined
      }
    >
      {sortKey === null ? (
        label
      ) : (
        <button
          type="button"
          className={styles.sort}
          onClick={() => onSort(sortKey)}
          data-testid="sort-header"
          data-key={sortKey}
          title={`Sort by ${label}${direction === "asc" ? " descending" : " ascending"}`}
        >
          <span>{label}</span>
          <span className={styles.arrow} data-active={direction ? "" : undefined} aria-hidden>
            {direction === "desc" ? "↓" : direction === "asc" ? "↑" : "↕"}
          </span>
        </button>
      )}
    </th>
  );
}

function Cell({ row, column }: { row: RecordRow; column: GridColumn }) {
  const align = column.numeric ? "end" : undefined;
  if (column.group === "record") {
    const value = column.field === "created_at" ? row.created_at : row.updated_at;
    return (
      <td className={styles.date} data-key={column.key}>
        {value && (
          <time dateTime={value} title={value}>
            {formatDateTime(value)}
          </time>
        )}
      </td>
    );
  }
  const value = row.payload?.[column.field];
  return (
    <td className={styles.cell} title={titleOf(value)} data-key={column.key} data-align={align}>
      <Value value={value} />
    </td>
  );
}

export function RecordsTable({
  rows,
  columns,
  hidden,
  order,
  onSort,
  selected,
  onSelect,
  onSelectAll,
  onOpen,
  busy,
}: {
  rows: readonly RecordRow[];
  columns: GridColumns;
  /** Hidden column keys: their values stay out of the "…" column too. */
  hidden: readonly string[];
  order: SortOrder;
  onSort: (key: string) => void;
  selected: ReadonlySet<string>;
  onSelect: (id: string, checked: boolean) => void;
  onSelectAll: (checked: boolean) => void;
  onOpen: (id: string) => void;
  /** A new page is loading; the old one stays visible, dimmed. */
  busy: boolean;
}) {
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = !allSelected && rows.some((row) => selected.has(row.id));
  const recordColumns = columns.visible.filter((column) => column.group === "record");
  const payloadColumns = columns.visible.filter((column) => column.group === "payload");
  const payloadSpan = payloadColumns.length + (columns.rest ? 1 : 0);
  return (
    <div className={styles.frame} data-busy={busy ? "" : undefined} aria-busy={busy}>
      <Table caption="Records" data-testid="records-table">
        <thead>
          {/* Two groups, so a payload field named like a record field (id) is never confused. */}
          <tr className={styles.groups}>
            <th scope="col" className={styles.check} rowSpan={2}>
              <input
                type="checkbox"
                aria-label="Select all records on this page"
                checked={allSelected}
                ref={(input) => {
                  if (input) input.indeterminate = someSelected;
                }}
                onChange={(event) => onSelectAll(event.target.checked)}
                data-testid="select-all-records"
              />
            </th>
            <th scope="colgroup" colSpan={1 + recordColumns.length} data-testid="group-record">
              Record
            </th>
            {payloadSpan > 0 && (
              <th
                scope="colgroup"
                colSpan={payloadSpan}
                className={styles.payloadGroup}
                data-testid="group-payload"
              >
                Payload
              </th>
            )}
          </tr>
          <tr>
            <SortHeader label="id" sortKey="id" order={order} onSort={onSort} />
            {recordColumns.map((column) => (
              <SortHeader
                key={column.key}
                label={column.field}
                sortKey={column.sortKey}
                order={order}
                onSort={onSort}
              />
            ))}
            {payloadColumns.map((column) => (
              <SortHeader
                key={column.key}
                label={column.field}
                sortKey={column.sortKey}
                order={order}
                onSort={onSort}
                numeric={column.numeric}
              />
            ))}
            {columns.rest && (
              <th scope="col" className={styles.field} title="Other payload fields">
                …<span className="sr-only">Other payload fields</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const rest = columns.rest ? restOf(row.payload, columns, hidden) : null;
            const isSelected = selected.has(row.id);
            return (
              <tr
                key={row.id}
                data-testid="record-row"
                data-id={row.id}
                data-selected={isSelected ? "" : undefined}
                className={styles.row}
                onClick={(event) => {
                  // The row is a mouse shortcut for its id button; controls inside keep their own.
                  if ((event.target as HTMLElement).closest("button, input, a")) return;
                  onOpen(row.id);
                }}
              >
                <td className={styles.check}>
                  <input
                    type="checkbox"
                    aria-label={`Select record ${row.id}`}
                    checked={isSelected}
                    onChange={(event) => onSelect(row.id, event.target.checked)}
                    data-testid="select-record"
                  />
                </td>
                <th scope="row" className={styles.id}>
                  <button
                    type="button"
                    className={styles.open}
                    onClick={() => onOpen(row.id)}
                    title={row.id}
                    aria-label={`Open record ${row.id}`}
                    data-testid="record-open"
                  >
                    {row.id.slice(0, 8)}
                  </button>
                  {row.archived && (
                    <Badge tone="neutral" className={styles.archived}>
                      Archived
                    </Badge>
                  )}
                </th>
                {columns.visible.map((column) => (
                  <Cell key={column.key} row={row} column={column} />
                ))}
                {columns.rest && (
                  <td className={styles.cell} title={rest ? compactJson(rest) : undefined}>
                    {rest && <code className={styles.json}>{compactJson(rest)}</code>}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}
