import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { type RowErrorView } from "../imports.schemas";
import { loadAccessibleJob } from "./job-access";

/**
 * The first rejected rows of an import, in line order, for showing beside its report: the whole
 * list stays in the streamed CSV (export-row-errors.ts).
 */
export async function firstRowErrors(options: {
  db: Database;
  principal: Principal;
  id: string;
  limit: number;
}): Promise<RowErrorView[]> {
  const job = await loadAccessibleJob({ ...options, permission: "read" });
  const rows = await options.db.prisma.importRowError.findMany({
    where: { jobId: job.id },
    orderBy: [{ line: "asc" }, { id: "asc" }],
    take: options.limit,
  });
  return rows.map((row) => ({ line: Number(row.line), column: row.column, reason: row.reason }));
}
