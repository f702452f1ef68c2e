"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { ErrorMessage } from "@/components/ui/error-message";
import { Table } from "@/components/ui/table";

import { formatCount } from "./import-format";
import styles from "./rejected-rows.module.css";

/** Enough to see what is wrong with the file; the error report has every one. */
const SHOWN = 5;

/** The first rejected rows of a finished import, under its report, with line, column and reason. */
export function RejectedRows({ jobId, rejected }: { jobId: string; rejected: number }) {
  const trpc = useTRPC();
  const errors = useQuery({
    ...trpc.imports.rowErrors.queryOptions({ id: jobId, limit: SHOWN }),
    staleTime: Infinity,
  });
  if (errors.error) {
    return <ErrorMessage error={errors.error} title="Could not load the rejected rows." />;
  }
  if (!errors.data || errors.data.length === 0) return null;
  const caption =
    rejected > errors.data.length
      ? `The first ${errors.data.length} of ${formatCount(rejected)} rejected rows`
      : "Rejected rows";
  return (
    <div className={styles.rejected}>
      <p className={styles.caption} aria-hidden="true">
        {caption}
      </p>
      <Table caption={caption} data-testid="rejected-rows">
        <thead>
          <tr>
            <th scope="col" data-align="end">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {errors.data.map((row, index) => (
            <tr key={`${row.line}-${index}`} data-testid="rejected-row">
              <td data-align="end">{row.line}</td>
              <td>{row.column ?? "—"}</td>
              <td>{row.reason}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
