import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/date-time";
import { Table } from "@/components/ui/table";

import type { RecordRow } from "./data-types";
import { restOf, sortableKey, type PayloadColumns } from "./payload-columns";
import { compactJson } from "./payload-json";
import type { SortOrder } from "./record-query";
import styles from "./records-table.module.css";

/** The API's default order, which the table shows on created_at until another is chosen. */
const DEFAULT_SORT = { key: "created_at", direction: "desc" } as const;

function Value({ value }: { value: unknown }) {
  if (value === undefined) return null;
  if (value === null) return <span className={styles.null}>null</span>;
  if (typeof value === "string") return <>{value}</>;
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
  className,
}: {
  label: string;
  /** null: the column cannot be sorted on (a key the query syntax cannot name). */
  sortKey: string | null;
  order: SortOrder;
  onSort: (key: string) => void;
  className?: string;
}) {
  const effective = order ?? DEFAULT_SORT;
  const direction = sortKey !== null && effective.key === sortKey ? effective.direction : null;
  return (
    <th
      scope="col"
      className={className}
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

export function RecordsTable({
  rows,
  columns,
  order,
  onSort,
  selected,
  onSelect,
  onSelectAll,
  onOpen,
  busy,
}: {
  rows: readonly RecordRow[];
  columns: PayloadColumns;
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
  return (
    <div className={styles.frame} data-busy={busy ? "" : undefined} aria-busy={busy}>
      <Table caption="Records" data-testid="records-table">
        <thead>
          <tr>
            <th scope="col" className={styles.check}>
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
            <SortHeader label="id" sortKey="id" order={order} onSort={onSort} />
            <SortHeader label="created_at" sortKey="created_at" order={order} onSort={onSort} />
            {columns.keys.map((key) => (
              <SortHeader
                key={key}
                label={key}
                sortKey={sortableKey(key)}
                order={order}
                onSort={onSort}
                className={styles.payloadHeader}
              />
            ))}
            {columns.rest && (
              <th scope="col" title="Other payload fields">
                …<span className="sr-only">Other payload fields</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const rest = columns.rest ? restOf(row.payload, columns.keys) : null;
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
                <td className={styles.date}>
                  {row.created_at && (
                    <time dateTime={row.created_at} title={row.created_at}>
                      {formatDateTime(row.created_at)}
                    </time>
                  )}
                </td>
                {columns.keys.map((key) => {
                  const value = row.payload?.[key];
                  return (
                    <td key={key} className={styles.cell} title={titleOf(value)} data-key={key}>
                      <Value value={value} />
                    </td>
                  );
                })}
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
