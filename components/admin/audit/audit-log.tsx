"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button, buttonProps } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Skeleton } from "@/components/ui/skeleton";
import { Stack } from "@/components/ui/stack";
import { Table } from "@/components/ui/table";

import type { AuditPickerOptions } from "./audit-areas";
import { AuditFilters } from "./audit-filters";
import { AuditRow } from "./audit-row";
import styles from "./audit-table.module.css";
import type { AuditFilter } from "./audit-types";

const PAGE_SIZE = 50;

/** The REST export of exactly what the filters select (the session cookie authenticates it). */
function exportUrl(filter: AuditFilter): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value instanceof Date) query.set(name, value.toISOString());
    else if (typeof value === "string") query.set(name, value);
  }
  const text = query.toString();
  return `/api/v1/lake/audit/export${text ? `?${text}` : ""}`;
}

/** The audit log, newest first, a page at a time. */
export function AuditLog({ options }: { options: AuditPickerOptions }) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      { filter, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.values(filter).some((value) => value !== undefined);

  return (
    <Stack>
      <AuditFilters options={options} onApply={setFilter} />
      <div className={styles.toolbar}>
        <p className={styles.toolbarNote}>
          {filtered
            ? "The export holds every entry that matches these filters."
            : "The export holds every entry."}
        </p>
        <a href={exportUrl(filter)} download {...buttonProps("secondary", "sm")}>
          Download CSV
        </a>
      </div>
      <ErrorMessage error={log.error} title="Could not load the audit log." />
      {log.isPending && (
        <div aria-busy="true">
          <span className="sr-only">Loading the audit log…</span>
          <Skeleton height="16rem" />
        </div>
      )}
      {log.isSuccess && entries.length === 0 && (
        <EmptyState
          title={filtered ? "No entries match these filters" : "No entries yet"}
          description={filtered ? "Widen the time range or clear a filter." : undefined}
        />
      )}
      {entries.length > 0 && (
        <Table caption="Audit log entries" data-testid="audit-table">
          {/* Fixed widths: loading more entries never makes the columns jump. */}
          <colgroup>
            <col className={styles.timeColumn} />
            <col className={styles.actorColumn} />
            <col className={styles.actionColumn} />
            <col className={styles.resourceColumn} />
            <col className={styles.ipColumn} />
            <col className={styles.requestColumn} />
            <col className={styles.detailsColumn} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">IP</th>
              <th scope="col">Request id</th>
              <th scope="col" data-align="end">
                <span className="sr-only">Summary</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </Table>
      )}
      {log.hasNextPage && (
        <Actions align="start">
          <Button onClick={() => void log.fetchNextPage()} pending={log.isFetchingNextPage}>
            Load more
          </Button>
        </Actions>
      )}
    </Stack>
  );
}
