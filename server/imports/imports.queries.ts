import type pg from "pg";

import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { inPoolTransaction } from "../db/pool-transaction";
import { inUnlimitedTransaction } from "../db/unlimited-statements";
import {
  assertStillRunning,
  INSERT_SELECT,
  insertImportedEmbeddingsSql,
  LOAD_SETTINGS,
  loadCopiedRows,
  type LoadRow,
  type LoadTarget,
} from "./run/pipeline/load-rows";
import { copyLine } from "./run/pipeline/row-transform";

/** The SQL twin of rowChecksum (pipeline/jsonb-text.ts): first 60 bits of md5("<line>:<jsonb>"). */
const ROW_CHECKSUM_SQL = `('x' || lpad(substr(md5(import_line::text || ':' || payload::text), 1, 15), 16, '0'))::bit(64)::bigint`;

/**
 * Loads one batch in one transaction; returns how many rows were new. `(import_id, import_line)`
 * is unique, so a line loaded by an earlier attempt is skipped, never duplicated (exactly once).
 * A real server takes the batch through COPY into a temporary table; the embedded database, whose
 * socket breaks on COPY FROM STDIN, through `unnest` of two arrays (ENVIRONMENT.md).
 */
export async function loadBatch(
  db: Database,
  target: LoadTarget,
  rows: LoadRow[],
): Promise<number> {
  return inPoolTransaction(db.pool, async (client) => {
    if (db.mode === "server") {
      const text = rows.map((row) => copyLine(row.line, row.text, row.embedding)).join("");
      return loadCopiedRows(client, target, Buffer.from(text));
    }
    await client.query(LOAD_SETTINGS);
    await assertStillRunning(client, target);
    const result = await client.query(
      `${INSERT_SELECT} from unnest($4::bigint[], $5::text[]) as src(line, payload)
       on conflict (import_id, import_line) do nothing`,
      [
        target.datasetId,
        target.ownerId,
        target.importId,
        rows.map((row) => row.line),
        rows.map((row) => row.text),
      ],
    );
    const vectors = rows.filter((row) => row.embedding);
    if (target.embedding && vectors.length) {
      await client.query(
        insertImportedEmbeddingsSql("unnest($4::bigint[], $5::text[]) as src(line, embedding)"),
        [
          target.importId,
          target.embedding.type,
          target.embedding.model,
          vectors.map((row) => row.line),
          vectors.map((row) => row.embedding),
        ],
      );
    }
    return result.rowCount ?? 0;
  });
}

/**
 * Holds an import's rows back from every reader (data/records/published-records.ts) until its job
 * ends: registered before the first row lands. The job's success publishes them all at once; a
 * failure or cancel deletes them; either way in the transaction that records the end (the trigger
 * import_jobs_publication). A resumed load finds its registration still there.
 *
 * Under the load fence, and only while this run owns the job, like a load: a run that a retry
 * superseded (and that may wake after the retry succeeded) must not register the job again, or
 * its published rows would be hidden for good; it gets ImportCancelledError instead.
 */
export async function holdBackImportedRows(db: Database, target: LoadTarget): Promise<void> {
  await inPoolTransaction(db.pool, async (client) => {
    await assertStillRunning(client, target);
    await client.query("insert into import_loads (import_id) values ($1) on conflict do nothing", [
      target.importId,
    ]);
  });
}

/** Where a re-run resumes: lines up to here are loaded (batches commit in line order). */
export async function lastLoadedLine(db: Database, importId: string): Promise<number> {
  const { rows } = await db.pool.query<{ line: string | null }>(
    "select max(import_line)::text as line from records where import_id = $1",
    [importId],
  );
  return Number(rows[0]?.line ?? 0);
}

/**
 * A read of every row an import stored, without the pool's statement limit: its time grows with
 * the import (unlimited-statements.ts).
 */
async function readImportedRows<T extends pg.QueryResultRow>(
  db: Database,
  text: string,
  importId: string,
): Promise<T | undefined> {
  return inUnlimitedTransaction(
    db.pool,
    async (query) => (await query(text, [importId])).rows[0] as T,
  );
}

/** Rows stored for an import (a resumed load's progress). */
export async function loadedCount(db: Database, importId: string): Promise<number> {
  const row = await readImportedRows<{ count: string }>(
    db,
    "select count(*)::text as count from records where import_id = $1",
    importId,
  );
  return Number(row?.count ?? 0);
}

/** Count and checksum of what is stored for an import, to compare with what was transformed. */
export async function loadedSummary(
  db: Database,
  importId: string,
): Promise<{ count: number; checksum: string }> {
  const row = await readImportedRows<{ count: string; checksum: string }>(
    db,
    `select count(*)::text as count, coalesce(sum(${ROW_CHECKSUM_SQL}), 0)::text as checksum
       from records where import_id = $1`,
    importId,
  );
  return { count: Number(row?.count ?? 0), checksum: row?.checksum ?? "0" };
}

/**
 * Cancels a job that has not ended and deletes its rows, in one transaction: nobody sees it
 * cancelled with its rows still there. A load transaction in flight holds the job's row (FOR
 * SHARE), so this waits for it and deletes its rows too; every later one sees the cancel. Returns
 * the rows deleted, or null when the job had already ended.
 */
export async function cancelAndDeleteRows(db: Database, importId: string): Promise<number | null> {
  return inUnlimitedTransaction(db.pool, async (query) => {
    const { rowCount } = await query(
      `update import_jobs set status = 'cancelled', error = 'The import was cancelled.', finished_at = now()
        where id = $1 and status in ('uploading', 'queued', 'running')`,
      [importId],
    );
    if (!rowCount) return null;
    const deleted = await query("delete from records where import_id = $1", [importId]);
    return deleted.rowCount ?? 0;
  });
}

/** Removes everything an import loaded (cancel, failure, failed consistency check). */
export async function deleteImportedRows(db: Database, importId: string): Promise<number> {
  return inUnlimitedTransaction(
    db.pool,
    async (query) =>
      (await query("delete from records where import_id = $1", [importId])).rowCount ?? 0,
  );
}

/**
 * Fails the run's job (unless a retry has taken it over, or it has ended) and deletes its rows,
 * in one transaction: nobody sees it failed with rows still loaded. True when it was this run's.
 */
export async function failAndDeleteRows(
  db: Database,
  job: { id: string; attempts: number },
  error: string,
): Promise<boolean> {
  return inUnlimitedTransaction(db.pool, async (query) => {
    const { rowCount } = await query(
      `update import_jobs
          set status = 'failed', error = $3, stage = null, finished_at = now(), rows_loaded = 0,
              checkpoint = null, updated_at = now()
        where id = $1 and attempts = $2 and status in ('queued', 'running')`,
      [job.id, job.attempts, error],
    );
    if (!rowCount) return false;
    await query("delete from records where import_id = $1", [job.id]);
    return true;
  });
}

/**
 * How many of a user's uploads are still receiving bytes, counted under a per-user lock held until
 * the caller's transaction ends, so two uploads created at once cannot both pass a limit. A
 * complete upload waiting for a manual start is not in flight.
 */
export async function lockAndCountUploadsInFlight(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<number> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`import-uploads:${userId}`}))`;
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    select count(*)::int as count from import_jobs
     where owner_id = ${userId}::uuid and status = 'uploading'
       and (bytes_total is null or bytes_received < bytes_total)`;
  return row?.count ?? 0;
}
