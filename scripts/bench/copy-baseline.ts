// The baseline the Lake's import is compared with: psql's `\copy` of the same file, run by the
// psql binary (client-side COPY FROM STDIN, as a DBA would load it).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { CSV_TABLE_COLUMNS } from "./import-csv";

const run = promisify(execFile);

async function psql(databaseUrl: string, commands: string[]): Promise<number> {
  const started = performance.now();
  await run(
    "psql",
    [databaseUrl, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...commands.flatMap((c) => ["-c", c])],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return (performance.now() - started) / 1000;
}

const copyFrom = (table: string, file: string) =>
  `\\copy ${table} FROM '${file.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`;

/** `\copy` into a table with the CSV's typed columns and no index: the fastest a load can be. */
export async function copyTyped(databaseUrl: string, file: string): Promise<number> {
  await psql(databaseUrl, [
    "DROP TABLE IF EXISTS bench_copy_typed",
    `CREATE TABLE bench_copy_typed (${CSV_TABLE_COLUMNS})`,
  ]);
  return psql(databaseUrl, [copyFrom("bench_copy_typed", file)]);
}

/** The ids an equivalent table's rows carry: the bench import's own, so the foreign keys hold. */
export type RecordOwner = { datasetId: string; ownerId: string; importId: string };

/**
 * The primary baseline — the "equivalent table": a table of exactly the shape the Lake
 * stores into, `CREATE TABLE … (LIKE records INCLUDING ALL)` (uuid key, the dataset, owner and
 * import columns, jsonb payload, every index: the unique (import_id, import_line), the two
 * btrees, and no GIN index, as the bench's dataset asks for none) plus the same two foreign keys
 * `records` has, dataset and owner (LIKE does not copy them; docs/decisions/0019). psql `\copy`s
 * the CSV into a typed staging table, then one
 * INSERT … SELECT to_jsonb(…) fills it — as a DBA would load this file into this table. Same
 * session settings as the Lake's load transactions (work_mem, gin_pending_list_limit), so the
 * comparison measures the pipeline, not tuning.
 */
export async function copyEquivalent(
  databaseUrl: string,
  file: string,
  ids: RecordOwner,
): Promise<number> {
  await psql(databaseUrl, [
    "DROP TABLE IF EXISTS bench_copy_records",
    "CREATE TABLE bench_copy_records (LIKE records INCLUDING ALL)",
    `ALTER TABLE bench_copy_records
       ADD FOREIGN KEY (dataset_id) REFERENCES datasets(id) ON DELETE CASCADE ON UPDATE CASCADE,
       ADD FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE RESTRICT ON UPDATE CASCADE`,
  ]);
  const literal = (id: string) => `'${id.replaceAll("'", "''")}'::uuid`;
  return psql(databaseUrl, [
    "SET work_mem = '64MB'",
    "SET gin_pending_list_limit = '32MB'",
    `CREATE TEMP TABLE staging (${CSV_TABLE_COLUMNS})`,
    copyFrom("staging", file),
    `INSERT INTO bench_copy_records
       (id, dataset_id, owner_id, payload, import_id, import_line, created_at, updated_at)
     SELECT gen_random_uuid(), ${literal(ids.datasetId)}, ${literal(ids.ownerId)}, to_jsonb(staging),
            ${literal(ids.importId)}, staging.id, now(), now()
       FROM staging`,
  ]);
}
