"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stack } from "@/components/ui/stack";
import { Table } from "@/components/ui/table";

import { AuditFilters } from "./audit-filters";
import { AuditRow } from "./audit-row";
import type { AuditFilter } from "./audit-types";

const PAGE_SIZE = 50;

/** The audit log, newest first, a page at a time. */
export function AuditLog() {
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
      <AuditFilters onApply={setFilter} />
      <ErrorMessage error={log.error} title="Could not load the audit log." />
      {log.isPending && <p aria-busy="true">Loading…</p>}
      {log.isSuccess && entries.length === 0 && (
        <EmptyState
          title={filtered ? "No entries match these filters" : "No entries yet"}
          description={filtered ? "Widen the time range or clear a filter." : undefined}
        />
      )}
      {entries.length > 0 && (
        <Table caption="Audit log entries" data-testid="audit-table">
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
