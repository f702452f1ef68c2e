import type pg from "pg";

import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { inPoolTransaction } from "../db/pool-transaction";
import { inUnlimitedTransaction } from "../db/unlimited-statements";
import { type VectorType } from "../db/generated/enums";
import { copyRowsInto } from "./run/pipeline/copy-rows";
import { ImportCancelledError } from "./run/pipeline/import-input-error";
import { copyLine } from "./run/pipeline/row-transform";

/** A transformed row: its line, payload as jsonb text, and embedding in pgvector's text form. */
export type LoadRow = { line: number; text: string; embedding?: string | null };

export type LoadTarget = {
  importId: string;
  datasetId: string;
  ownerId: string;
  /** The job's attempt count when this run claimed it: a later run (a retry) supersedes it. */
  runAttempt: number;
  /** The upload's `embedding`: rows' vectors go to record_embeddings with this type and model. */
  embedding?: { type: VectorType; model: string };
};

/**
 * The embeddings of the rows just inserted from `source` (a relation with `line` and `embedding`,
 * aliased `src`; `where` narrows it), joined to their records by (import_id, import_line), in the
 * same transaction as the records. ON CONFLICT updates: a re-run that overlaps lines loaded before
 * writes the same vectors again, never twice. $1 import id, $2 vector type, $3 model.
 */
export function insertImportedEmbeddingsSql(source: string, where = "true"): string {
  return `insert into record_embeddings (record_id, type, model, embedding, created_at, updated_at)
    select r.id, $2::text::"VectorType", $3, src.embedding::vector, now(), now()
      from ${source}
      join records r on r.import_id = $1::uuid and r.import_line = src.line
     where src.embedding is not null and ${where}
    on conflict (record_id, type) do update
      set model = excluded.model, embedding = excluded.embedding, updated_at = now()`;
}

/** The SQL twin of rowChecksum (pipeline/jsonb-text.ts): first 60 bits of md5("<line>:<jsonb>"). */
const ROW_CHECKSUM_SQL = `('x' || lpad(substr(md5(import_line::text || ':' || payload::text), 1, 15), 16, '0'))::bit(64)::bigint`;

const INSERT_SELECT = `
  insert into records (id, dataset_id, owner_id, payload, import_id, import_line, created_at, updated_at)
  select lake_uuidv7(), $1::uuid, $2::uuid, src.payload::jsonb, $3::uuid, src.line, now(), now()`;

/**
 * For a load transaction only. `synchronous_commit = off`: a commit returns before its WAL is
 * flushed, so a crash of PostgreSQL may lose the last few load commits — which exactly-once
 * tolerates: a lost batch is simply not in `records`, and the re-run resumes after the
 * `max(import_line)` that did survive (WAL is replayed in order, so no later batch survives an
 * earlier lost one); the job's own status updates stay synchronous. For a dataset with a payload
 * index (docs/decisions/0019), a larger GIN pending list (fastupdate) with the work memory to
 * merge it moves that index's cost from every batch into fewer, larger, sorted merges.
 */
export const LOAD_SETTINGS = `set local synchronous_commit = off; set local gin_pending_list_limit = '32MB'; set local work_mem = '64MB'`;

/**
 * Holds the job's load fence (an advisory lock, shared) for the length of a load transaction and
 * refuses to load unless this run still owns the job (running, same attempt). A write that changes
 * the job's status or attempts takes the fence exclusively (trigger import_jobs_load_fence): a
 * cancel waits for the batches in flight, and a batch that starts after it waits for it and sees
 * the cancel — so no row can land after a cancel has deleted the import's rows, nor from a run
 * that a retry has superseded. Progress writes do not touch the fence, so they never stall a batch.
 */
export async function assertStillRunning(client: pg.PoolClient, target: LoadTarget): Promise<void> {
  await client.query("select pg_advisory_xact_lock_shared(hashtext('import-load:' || $1))", [
    target.importId,
  ]);
  const { rows } = await client.query<{ status: string; attempts: number }>(
    "select status, attempts from import_jobs where id = $1",
    [target.importId],
  );
  const job = rows[0];
  if (job?.status !== "running" || job.attempts !== target.runAttempt) {
    throw new ImportCancelledError();
  }
}

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
    await client.query(LOAD_SETTINGS);
    await assertStillRunning(client, target);
    const params = [target.datasetId, target.ownerId, target.importId];
    let inserted: number;
    if (db.mode === "server") {
      await client.query(
        "create temp table if not exists import_batch (line bigint, payload text, embedding text) on commit delete rows",
      );
      const text = rows.map((row) => copyLine(row.line, row.text, row.embedding)).join("");
      await copyRowsInto(client, "import_batch", Buffer.from(text));
      const result = await client.query(
        `${INSERT_SELECT} from import_batch src order by src.line
         on conflict (import_id, import_line) do nothing`,
        params,
      );
      inserted = result.rowCount ?? 0;
      if (target.embedding) {
        await client.query(insertImportedEmbeddingsSql("import_batch src"), [
          target.importId,
          target.embedding.type,
          target.embedding.model,
        ]);
      }
    } else {
      const result = await client.query(
        `${INSERT_SELECT} from unnest($4::bigint[], $5::text[]) as src(line, payload)
         on conflict (import_id, import_line) do nothing`,
        [...params, rows.map((row) => row.line), rows.map((row) => row.text)],
      );
      inserted = result.rowCount ?? 0;
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
    }
    return inserted;
  });
}

/**
 * Holds an import's rows back from every reader (data/records/published-records.ts) until its job
 * ends: registered before the first row lands. The job's success publishes them all at once; a
 * failure or cancel deletes them; either way in the transaction that records the end (the trigger
 * import_jobs_publication). A resumed load finds its registration still there.
 */
export async function holdBackImportedRows(db: Database, importId: string): Promise<void> {
  await db.pool.query("insert into import_loads (import_id) values ($1) on conflict do nothing", [
    importId,
  ]);
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
