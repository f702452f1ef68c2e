import { type Database } from "../../db/client";

/**
 * Until 2026-12-06 a single-pass import staged its rows in an UNLOGGED table of its own, named by
 * the job and the run's attempt, and moved them into `records` once the pass was over. The pass
 * now loads them into `records` itself, hidden until the job succeeds (docs/decisions/0020), and
 * makes no such table. Tables an earlier release left behind — a process that died mid-run, or a
 * run of that release still going during an upgrade — are dropped by the sweep once their job
 * will not run again.
 */
export const STAGING_PREFIX = "import_staging_";

/**
 * Staging tables of jobs that will not run again (neither running nor queued for a retry, which an
 * earlier release may still resume from one). Dropped by the sweep; returns how many were found.
 */
export async function dropOrphanStaging(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ name: string }>(
    `select t.tablename as name from pg_tables t
      where t.schemaname = current_schema() and t.tablename like '${STAGING_PREFIX}%'
        and not exists (
          select 1 from import_jobs j
           where j.status in ('running', 'queued')
             and starts_with(t.tablename, '${STAGING_PREFIX}' || replace(j.id::text, '-', '') || '_'))`,
  );
  for (const { name } of rows) {
    if (/^import_staging_[0-9a-f]{32}_\d+$/.test(name)) {
      await db.pool.query(`drop table if exists ${name}`);
    }
  }
  return rows.length;
}
