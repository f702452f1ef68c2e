"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { errorCode } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { SelectField } from "@/components/ui/select-field";

import { Banner } from "@/components/ui/banner";

import { BulkBar } from "./bulk-bar";
import { ColumnPicker } from "./column-picker";
import { ExportLinks } from "./export-links";
import { gridColumns } from "./grid-columns";
import type { DatasetView, RecordRow } from "./data-types";
import { DatasetHeader } from "./dataset-header";
import { FilterBar } from "./filter-bar";
import { NewRecordDialog } from "./new-record-dialog";
import { QueryShare } from "./query-share";
import { RecordDialog } from "./record-dialog";
import { PAGE_SIZES, recordQueryParameters, toQueryString } from "./record-query";
import styles from "./records-panel.module.css";
import { RecordsPager } from "./records-pager";
import { RecordsTable } from "./records-table";
import { SkeletonRows } from "./skeleton-rows";
import { useGridUrl } from "./use-grid-url";

const REFUSALS = new Set(["bad_request", "validation_failed", "not_found", "forbidden"]);

const ARCHIVED_OPTIONS = [
  { value: "false", label: "Hide" },
  { value: "true", label: "Only" },
  { value: "all", label: "All" },
] as const;

/**
 * One dataset's records, filtered, sorted and paged by the server. The view — filters, order,
 * page, page size, hidden columns, the open record — lives in the page's address (grid-url.ts),
 * so it survives a reload and can be shared. Everything the table shows comes from one query
 * string (the API's), which is also shown for reuse and exported as CSV or NDJSON. Pages follow
 * next_cursor forwards; the cursors that led to the page are kept in the address, so Previous
 * goes back exactly.
 */
export function RecordsPanel({
  dataset,
  onDeleteDataset,
}: {
  dataset: DatasetView;
  onDeleteDataset: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { state: view, problems: urlProblems, update } = useGridUrl();
  const { filters, order, archived, limit, count, cursors, hidden } = view;
  const [creating, setCreating] = useState(false);
  const openId = view.record;
  const setOpenId = (record: string | null) => update({ record }, "replace");
  // Any change of the query starts again at page 1: cursors belong to one query.
  const setQuery = (patch: Partial<typeof view>) => update({ ...patch, cursors: [] });

  const state = { dataset: dataset.name, filters, order, archived, limit, count };
  const shareable = toQueryString(recordQueryParameters(state));
  // Every page of the same query: the export takes no paging parameters.
  const exportQuery = toQueryString(
    recordQueryParameters({ ...state, count: false }).filter(([key]) => key !== "limit"),
  );
  const cursor = cursors.at(-1);
  const params = toQueryString(recordQueryParameters(state, cursor));

  // Selection is per page: ticking rows on page 2 and acting applies to what is in view.
  const [selection, setSelection] = useState<{ page: string; ids: string[] }>({
    page: params,
    ids: [],
  });
  const selectedIds = selection.page === params ? selection.ids : [];
  const selected = new Set(selectedIds);
  const select = (ids: string[]) => setSelection({ page: params, ids });

  const records = useQuery({
    ...trpc.data.records.query.queryOptions({ params }),
    placeholderData: keepPreviousData,
    // A refused query (a bad filter value, a gone dataset) fails the same way again.
    retry: (failures, error) => failures < 1 && !REFUSALS.has(errorCode(error) ?? ""),
  });
  const rows = (records.data?.items ?? []) as RecordRow[];
  const columns = gridColumns({ rows, schema: dataset.schema, hidden });
  const loadingPage = records.isPlaceholderData && records.isFetching;
  const nextCursor = records.data?.next_cursor;

  const [bulkNotice, setBulkNotice] = useState("");
  const bulkDone = (verb: string) => ({
    onSuccess: async ({ count: changed }: { count: number }) => {
      setBulkNotice(`${verb} ${changed === 1 ? "1 record" : `${changed} records`}.`);
      select([]);
      await Promise.all([
        queryClient.invalidateQueries(trpc.data.records.query.queryFilter()),
        queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter()),
      ]);
    },
  });
  const archive = useMutation(trpc.data.records.archive.mutationOptions(bulkDone("Archived")));
  const restore = useMutation(trpc.data.records.restore.mutationOptions(bulkDone("Restored")));

  const sortBy = (key: string) => {
    const current = order ?? { key: "created_at", direction: "desc" as const };
    setQuery({
      order: {
        key,
        direction: current.key === key && current.direction === "asc" ? "desc" : "asc",
      },
    });
  };

  const filtered = filters.length > 0 || archived !== "false";

  return (
    <div className={styles.panel}>
      <DatasetHeader
        dataset={dataset}
        onNewRecord={() => setCreating(true)}
        onDelete={onDeleteDataset}
      />

      {urlProblems.length > 0 && (
        <Banner tone="warning" data-testid="grid-url-problems">
          Left out of this view, because the address does not say them in a way the grid reads:{" "}
          {urlProblems.map((problem, index) => (
            <span key={`${index}:${problem.parameter}`}>
              {index > 0 && ", "}
              <code>
                {problem.parameter}={problem.value}
              </code>
            </span>
          ))}
          .
        </Banner>
      )}

      <FilterBar
        filters={filters}
        onChange={(next) => setQuery({ filters: next })}
        fields={columns.all.filter((c) => c.group === "payload").map((c) => c.field)}
      />

      <div className={styles.toolbar}>
        <SegmentedControl
          label="Archived"
          options={ARCHIVED_OPTIONS}
          value={archived}
          onChange={(next) => setQuery({ archived: next })}
          data-testid="archived-toggle"
        />
        <SelectField
          label="Page size"
          className={styles.pageSize}
          value={String(limit)}
          onChange={(event) => setQuery({ limit: Number(event.target.value) })}
          data-testid="page-size"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </SelectField>
        <CheckboxField
          label="Count total"
          checked={count}
          onChange={(event) => update({ count: event.target.checked })}
          data-testid="count-total"
        />
        {order && (
          <Button size="sm" variant="ghost" onClick={() => setQuery({ order: null })}>
            Reset sort
          </Button>
        )}
        <ColumnPicker
          columns={columns.all}
          hidden={hidden}
          onChange={(next) => update({ hidden: next }, "replace")}
        />
        <ExportLinks queryString={exportQuery} />
        <p className={styles.notice} role="status" data-testid="bulk-notice">
          {bulkNotice}
        </p>
      </div>

      {selectedIds.length > 0 && (
        <BulkBar
          count={selectedIds.length}
          archived={archived}
          pending={archive.isPending || restore.isPending}
          onArchive={() => {
            setBulkNotice("");
            archive.mutate({ dataset: dataset.id, ids: selectedIds });
          }}
          onRestore={() => {
            setBulkNotice("");
            restore.mutate({ dataset: dataset.id, ids: selectedIds });
          }}
          onClear={() => select([])}
        />
      )}
      <ErrorMessage error={archive.error ?? restore.error} title="The records were not changed." />

      <ErrorMessage error={records.error} title="Could not load records." />
      {records.isPending && !records.error && <SkeletonRows />}
      {records.data && rows.length === 0 && cursors.length > 0 && (
        <EmptyState
          title="No more records"
          description="The records that were here have changed since the previous page. Go back a page."
        />
      )}
      {records.data && rows.length === 0 && cursors.length === 0 && (
        <EmptyState
          title={filtered ? "No records match" : "No records yet"}
          description={
            filtered
              ? "Nothing in this dataset matches the filters and the archived setting. Remove a filter or show archived records."
              : "Create one here, or send them with POST /api/v1/lake/data."
          }
          action={
            filtered ? undefined : (
              <Button variant="primary" onClick={() => setCreating(true)}>
                New record
              </Button>
            )
          }
        />
      )}
      {rows.length > 0 && (
        <RecordsTable
          rows={rows}
          columns={columns}
          hidden={hidden}
          order={order}
          onSort={sortBy}
          selected={selected}
          onSelect={(id, checked) =>
            select(checked ? [...selectedIds, id] : selectedIds.filter((other) => other !== id))
          }
          onSelectAll={(checked) => select(checked ? rows.map((row) => row.id) : [])}
          onOpen={setOpenId}
          busy={loadingPage}
        />
      )}

      {records.data && (rows.length > 0 || cursors.length > 0) && (
        <RecordsPager
          page={cursors.length + 1}
          first={cursors.length * limit + 1}
          shown={rows.length}
          total={records.data.total}
          loading={loadingPage}
          onPrevious={
            cursors.length > 0 ? () => update({ cursors: cursors.slice(0, -1) }) : undefined
          }
          onNext={nextCursor ? () => update({ cursors: [...cursors, nextCursor] }) : undefined}
        />
      )}

      <QueryShare queryString={shareable} />

      <NewRecordDialog dataset={dataset} open={creating} onClose={() => setCreating(false)} />
      <RecordDialog id={openId} dataset={dataset} onClose={() => setOpenId(null)} />
    </div>
  );
}
