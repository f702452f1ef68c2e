import { type Database } from "../../db/client";
import { inUnlimitedSession } from "../../db/unlimited-statements";

// A dataset's payload index: a partial GIN index (jsonb_path_ops) over its records' payloads,
// which serves `cs` filters (`payload @> …` with `dataset_id = $n`: the planner matches the
// partial index's predicate to the parameter's value). docs/decisions/0019.

const NAME_PREFIX = "records_payload_";
const NAME = /^records_payload_[0-9a-f]{32}$/;

/** records_payload_<the dataset's id without dashes>: one name per dataset, 48 characters. */
export function payloadIndexName(datasetId: string): string {
  const name = `${NAME_PREFIX}${datasetId.replaceAll("-", "").toLowerCase()}`;
  if (!NAME.test(name)) throw new Error(`not a dataset id: ${datasetId}`);
  return name;
}

const datasetIdOf = (name: string) =>
  name.slice(NAME_PREFIX.length).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");

export type PayloadIndexState = {
  datasetId: string;
  name: string;
  /** Built and usable by the planner (a failed or unfinished CONCURRENTLY build is invalid). */
  valid: boolean;
  /** A CREATE INDEX of it is running now, in some session. */
  building: boolean;
};

/** Every payload index on `records`, as the catalog has it. */
export async function readPayloadIndexes(db: Database): Promise<PayloadIndexState[]> {
  const { rows } = await db.pool.query<{ name: string; valid: boolean; building: boolean }>(
    `select c.relname as name, i.indisvalid as valid,
            exists (select 1 from pg_stat_progress_create_index p
                     where p.index_relid = i.indexrelid) as building
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'records'::regclass and starts_with(c.relname, $1)`,
    [NAME_PREFIX],
  );
  return rows
    .filter((row) => NAME.test(row.name))
    .map((row) => ({ ...row, datasetId: datasetIdOf(row.name) }));
}

/** The datasets that ask for a payload index, and whether each is marked ready. */
export async function readWantedPayloadIndexes(
  db: Database,
): Promise<Map<string, { ready: boolean }>> {
  const { rows } = await db.pool.query<{ id: string; ready: boolean }>(
    `select id::text as id, payload_index_ready as ready from datasets where payload_index`,
  );
  return new Map(rows.map((row) => [row.id, { ready: row.ready }]));
}

/**
 * Marks the dataset's index ready (or not). Only while the dataset still asks for one: a change
 * of mind during the build is not overwritten. Not updated_at: the dataset itself did not change.
 */
export async function markPayloadIndexReady(
  db: Database,
  datasetId: string,
  ready: boolean,
): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `update datasets set payload_index_ready = $2
      where id = $1::uuid and payload_index_ready <> $2 and (payload_index or not $2)`,
    [datasetId, ready],
  );
  return (rowCount ?? 0) > 0;
}

const dropSql = (name: string) => {
  if (!NAME.test(name)) throw new Error(`not a payload index: ${name}`);
  return `DROP INDEX CONCURRENTLY IF EXISTS ${name}`;
};

/**
 * Builds the dataset's index without blocking writes (CONCURRENTLY). A build that fails leaves
 * an invalid index, dropped here on the same connection (the embedded database has only one).
 */
export async function buildPayloadIndex(db: Database, datasetId: string): Promise<void> {
  const name = payloadIndexName(datasetId);
  // The id is checked by payloadIndexName (hex digits only): safe to splice.
  const sql = `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON records
                 USING gin (payload jsonb_path_ops) WHERE dataset_id = '${datasetIdOf(name)}'::uuid`;
  await inUnlimitedSession(db.pool, async (query) => {
    try {
      await query(sql);
    } catch (error) {
      // Not when the failure is a race with another session creating the same index: it is
      // that session's to finish.
      const code = (error as { code?: string }).code;
      if (code !== "23505" && code !== "42P07") await query(dropSql(name)).catch(() => undefined);
      throw error;
    }
  });
}

export async function dropPayloadIndex(db: Database, name: string): Promise<void> {
  const sql = dropSql(name);
  await inUnlimitedSession(db.pool, (query) => query(sql));
}
