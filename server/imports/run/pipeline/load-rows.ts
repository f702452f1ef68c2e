import type pg from "pg";

import type { VectorType } from "../../../db/generated/enums";

import { copyRowsInto } from "./copy-rows";
import { ImportCancelledError } from "./import-input-error";

// One load transaction's SQL, run by the process (the two-pass load, the embedded database) and by
// an import's source thread on its own connection (the single pass): kept free of the database
// module and Prisma so that the thread stays small (docs/decisions/0009).

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

/**
 * `(import_id, import_line)` is unique: a line an earlier run loaded is skipped, never duplicated
 * (exactly once). Ids are time-ordered (lake_uuidv7), so new keys append to the primary key.
 */
export const INSERT_SELECT = `
  insert into records (id, dataset_id, owner_id, payload, import_id, import_line, created_at, updated_at)
  select lake_uuidv7(), $1::uuid, $2::uuid, src.payload::jsonb, $3::uuid, src.line, now(), now()`;

/**
 * For a load transaction only. `synchronous_commit = off`: a commit returns before its WAL is
 * flushed, so a crash of PostgreSQL may lose the last few load commits — which exactly-once
 * tolerates: a lost batch is simply not in `records`, and the re-run loads it again; whatever
 * marks progress past it (a checkpoint) commits synchronously after it, and WAL is replayed in
 * order, so no mark survives the rows it covers. For a dataset with a payload index
 * (docs/decisions/0019), a larger GIN pending list (fastupdate) with the work memory to merge it
 * moves that index's cost from every batch into fewer, larger, sorted merges.
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
export async function assertStillRunning(client: pg.ClientBase, target: LoadTarget): Promise<void> {
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
 * A real server's load of one batch, inside the caller's transaction: the rows in COPY's text
 * format (`copyLine`) into a temporary table, then into `records` (and their embeddings) in one
 * statement each. Returns how many rows were new.
 */
export async function loadCopiedRows(
  client: pg.ClientBase,
  target: LoadTarget,
  copyText: Uint8Array,
): Promise<number> {
  await client.query(LOAD_SETTINGS);
  await assertStillRunning(client, target);
  await client.query(
    "create temp table if not exists import_batch (line bigint, payload text, embedding text) on commit delete rows",
  );
  await copyRowsInto(client, "import_batch", copyText);
  const result = await client.query(
    `${INSERT_SELECT} from import_batch src order by src.line
     on conflict (import_id, import_line) do nothing`,
    [target.datasetId, target.ownerId, target.importId],
  );
  if (target.embedding) {
    await client.query(insertImportedEmbeddingsSql("import_batch src"), [
      target.importId,
      target.embedding.type,
      target.embedding.model,
    ]);
  }
  return result.rowCount ?? 0;
}

/**
 * Where a source thread loads each batch itself, on a connection of its own (a real server only),
 * in transactions of `transactionRows` (LAKE_IMPORT_LOAD_BATCH, the seed's 5000).
 */
export type ThreadLoad = {
  url: string;
  target: LoadTarget;
  transactionRows: number;
  /** Loads in flight at once, each on its connection (LAKE_IMPORT_LOAD_CONNECTIONS). */
  connections: number;
};

/**
 * COPY text cut after every `rows` rows. A row ends at its newline: COPY's text format escapes
 * the newlines inside values (`\n`), so every 0x0A byte ends a row.
 */
export function* copyTextChunks(text: Uint8Array, rows: number): Generator<Uint8Array> {
  let start = 0;
  let counted = 0;
  for (let at = text.indexOf(0x0a); at !== -1; at = text.indexOf(0x0a, at + 1)) {
    counted += 1;
    if (counted === rows) {
      yield text.subarray(start, at + 1);
      start = at + 1;
      counted = 0;
    }
  }
  if (start < text.byteLength) yield text.subarray(start);
}

/** A batch's rows, loaded in transactions of `load.transactionRows` one after the other. */
export async function loadInTransactions(
  client: pg.ClientBase,
  load: ThreadLoad,
  copyText: Uint8Array,
): Promise<void> {
  for (const chunk of copyTextChunks(copyText, load.transactionRows)) {
    await loadCopiedBatch(client, load.target, chunk);
  }
}

/** loadCopiedRows in a transaction of its own, on a connection that is not a pool's. */
export async function loadCopiedBatch(
  client: pg.ClientBase,
  target: LoadTarget,
  copyText: Uint8Array,
): Promise<number> {
  await client.query("begin");
  try {
    const loaded = await loadCopiedRows(client, target, copyText);
    await client.query("commit");
    return loaded;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}
