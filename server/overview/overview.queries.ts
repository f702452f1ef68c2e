import { Prisma, type PrismaClient } from "../db/generated/client";

/**
 * PostgreSQL's own estimate of the rows in `records`, as its planner makes it: the density
 * (reltuples ÷ relpages) from the last ANALYZE times the table's current size, so it follows
 * growth between analyses. Null when the table was never analyzed. Reads the catalog only: O(1)
 * on any table size, where count(*) reads every row.
 */
export async function estimateRecordRows(prisma: PrismaClient): Promise<number | null> {
  const rows = await prisma.$queryRaw<{ estimate: bigint | null }[]>`
    select case when c.reltuples < 0 or c.relpages = 0 then null
      else (c.reltuples / c.relpages
        * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint end as estimate
    from pg_class c where c.oid = to_regclass('records')`;
  const estimate = rows[0]?.estimate;
  return estimate === null || estimate === undefined ? null : Number(estimate);
}

export type ImportDayRow = {
  day: string;
  started: number;
  succeeded: number;
  failed: number;
  rows_loaded: bigint;
};

/** Imports started per UTC day since `from`, everyone's or one owner's; days without are absent. */
export function importsPerDay(
  prisma: PrismaClient,
  options: { from: Date; ownerId: string | null },
): Promise<ImportDayRow[]> {
  const owner = options.ownerId
    ? Prisma.sql`and owner_id = ${options.ownerId}::uuid`
    : Prisma.empty;
  return prisma.$queryRaw<ImportDayRow[]>`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
      count(*)::int as started,
      (count(*) filter (where status = 'succeeded'))::int as succeeded,
      (count(*) filter (where status = 'failed'))::int as failed,
      coalesce(sum(rows_loaded), 0)::bigint as rows_loaded
    from import_jobs
    where created_at >= ${options.from} ${owner}
    group by 1 order by 1`;
}
