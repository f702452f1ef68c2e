import { type Database } from "../../db/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import { inUnlimitedTransaction } from "../../db/unlimited-statements";
import {
  assertStillRunning,
  insertImportedEmbeddingsSql,
  LOAD_SETTINGS,
  type LoadRow,
  type LoadTarget,
} from "../imports.queries";

/**
 * The single-pass path's staging table: one UNLOGGED table per run of a job, named by the job and
 * the run's attempt, so a run that a retry has superseded can never write into (or drop) the
 * retry's table. A retry that resumes from a checkpoint takes the earlier run's table over by
 * renaming it (adoptStaging): the earlier run, if still alive, then finds no table of its name.
 * Unlogged: nothing of it goes through the WAL, and a PostgreSQL crash empties it — which
 * adoptStaging notices, and the run starts from the first row.
 */
export const STAGING_PREFIX = "import_staging_";

export function stagingTable(importId: string, attempt: number): string {
  const hex = importId.replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex) || !Number.isInteger(attempt) || attempt < 0) {
    throw new Error(`not a job id and attempt: ${importId}, ${attempt}`);
  }
  return `${STAGING_PREFIX}${hex}_${attempt}`;
}

const jobPrefix = (table: string) => table.replace(/_\d+$/, "_");

/**
 * A fresh, empty staging table. Any other table of the same job (an earlier run's, left for a
 * resume this run does not make) is dropped first.
 */
export async function createStaging(
  db: Database,
  table: string,
  tablespace?: string,
): Promise<void> {
  await dropJobStaging(db, table);
  await db.pool.query(
    `create unlogged table ${table} (line bigint not null, payload jsonb not null, embedding text)${inTablespace(tablespace)}`,
  );
}

/** LAKE_IMPORT_STAGING_TABLESPACE, checked as a plain identifier by env.ts. */
const inTablespace = (tablespace: string | undefined) =>
  tablespace ? ` tablespace "${tablespace}"` : "";

/** Every staging table of the job `table` belongs to, whichever run made it. */
async function dropJobStaging(db: Database, table: string): Promise<void> {
  const { rows } = await db.pool.query<{ name: string }>(
    `select tablename as name from pg_tables
      where schemaname = current_schema() and starts_with(tablename, $1)`,
    [jobPrefix(table)],
  );
  for (const { name } of rows) await dropStaging(db, name);
}

/**
 * Resuming: takes the staging table of the run that saved the checkpoint (`from`) over as this
 * run's (`to`), keeping only the rows through the checkpoint's line (null: all of them, the pass
 * was complete) — a batch staged after it is staged again. False when there is nothing to take
 * over: the table is gone, or PostgreSQL restarted since and emptied it (unlogged), though the
 * checkpoint says rows were staged.
 */
export async function adoptStaging(
  db: Database,
  from: string,
  to: string,
  checkpoint: { line: number | null; rowsStaged: number },
): Promise<boolean> {
  if (from !== to) {
    const { rows } = await db.pool.query<{ found: boolean }>(
      `select to_regclass($1) is not null as found`,
      [from],
    );
    if (!rows[0]?.found) return false;
    await db.pool.query(`drop table if exists ${to}`);
    await db.pool.query(`alter table ${from} rename to ${to}`);
  }
  if (checkpoint.line !== null) {
    await db.pool.query(`delete from ${to} where line > $1`, [checkpoint.line]);
  }
  if (checkpoint.rowsStaged === 0) return true;
  const { rows } = await db.pool.query<{ filled: boolean }>(
    `select exists (select 1 from ${to}) as filled`,
  );
  return rows[0]?.filled === true;
}

/**
 * The transform mode of the staging pass on this database: on a real server the source thread
 * COPYs each batch into the staging table itself (`copy`, see source-thread.ts); the embedded
 * database has one session behind its socket, so its rows come back to stageRows (`load`).
 */
export const stagingMode = (db: Database) => (db.mode === "server" ? "copy" : "load");

/**
 * The embedded database's staging: accepted rows appended by `unnest` through the process's pool
 * (its socket breaks on COPY FROM STDIN). A real server's rows are COPYed by the source thread.
 */
export async function stageRows(db: Database, table: string, rows: LoadRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.pool.query(
    `insert into ${table} (line, payload, embedding) select line, payload::jsonb, embedding from unnest($1::bigint[], $2::text[], $3::text[]) as src(line, payload, embedding)`,
    [
      rows.map((row) => row.line),
      rows.map((row) => row.text),
      rows.map((row) => row.embedding ?? null),
    ],
  );
}

/**
 * Once staged: an index for the move's line ranges (built once: faster than kept up all along;
 * a resumed move finds it built). Its time grows with the import, so it has no statement limit,
 * and room to sort.
 */
export async function indexStaging(
  db: Database,
  table: string,
  tablespace?: string,
): Promise<void> {
  const { rows } = await db.pool.query(
    `select 1 from pg_indexes where schemaname = current_schema() and tablename = $1`,
    [table],
  );
  if (rows.length === 0) {
    await inUnlimitedTransaction(db.pool, async (query) => {
      await query("set local maintenance_work_mem = '256MB'");
      await query(`create index on ${table} (line)${inTablespace(tablespace)}`);
    });
  }
}

/** Ranges' ends are read this many at a time. */
const RANGES_PER_READ = 100;

/**
 * The staged lines after `after`, cut into ranges of `batch` rows (lines skipped by rejected
 * rows do not count), in line order: `index` numbers them from 0. The ends are read from the
 * staging table's line index a hundred ranges at a time.
 */
export async function* stagedRanges(
  db: Database,
  table: string,
  after: number,
  batch: number,
): AsyncGenerator<{ index: number; after: number; through: number }> {
  let index = 0;
  for (;;) {
    const { rows } = await db.pool.query<{ through: string }>(
      `with next as (
         select line, row_number() over (order by line) as n
           from (select line from ${table} where line > $1 order by line limit $2) s)
       select line::text as through from next
        where n % $3 = 0 or n = (select max(n) from next) order by n`,
      [after, batch * RANGES_PER_READ, batch],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const through = Number(row.through);
      yield { index, after, through };
      index += 1;
      after = through;
    }
  }
}

/**
 * Moves the staged lines in (`after`, `through`] into `records`, in one transaction that, like
 * every load, holds the job's load fence (shared) and refuses unless this run still owns the job.
 * ON CONFLICT keeps a line that an earlier run committed from loading twice. Several ranges may
 * move at once on their own connections (a shared fence does not block a shared fence). Returns
 * the rows inserted.
 */
export async function moveStagedRange(
  db: Database,
  table: string,
  target: LoadTarget,
  after: number,
  through: number,
): Promise<number> {
  return inPoolTransaction(db.pool, async (client) => {
    await client.query(LOAD_SETTINGS);
    await assertStillRunning(client, target);
    const result = await client.query(
      `insert into records (id, dataset_id, owner_id, payload, import_id, import_line, created_at, updated_at)
       select lake_uuidv7(), $1::uuid, $2::uuid, s.payload, $3::uuid, s.line, now(), now()
         from ${table} s where s.line > $4 and s.line <= $5 order by s.line
       on conflict (import_id, import_line) do nothing`,
      [target.datasetId, target.ownerId, target.importId, after, through],
    );
    if (target.embedding) {
      await client.query(
        insertImportedEmbeddingsSql(`${table} src`, "src.line > $4 and src.line <= $5"),
        [target.importId, target.embedding.type, target.embedding.model, after, through],
      );
    }
    return result.rowCount ?? 0;
  });
}

export async function dropStaging(db: Database, table: string): Promise<void> {
  await db.pool.query(`drop table if exists ${table}`);
}

/**
 * Staging tables of jobs that will not run again (neither running nor queued for a retry, which
 * may resume from one): left behind when a process died mid-run. Dropped by the sweep.
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
    if (/^import_staging_[0-9a-f]{32}_\d+$/.test(name)) await dropStaging(db, name);
  }
  return rows.length;
}
