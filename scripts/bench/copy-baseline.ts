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

/**
 * What the Lake stores, by hand: `\copy` into a typed staging table, then one INSERT … SELECT of
 * each row as jsonb into a uuid-keyed table with the GIN (jsonb_path_ops) index `records` has.
 */
export async function copyJsonb(databaseUrl: string, file: string): Promise<number> {
  await psql(databaseUrl, [
    "DROP TABLE IF EXISTS bench_copy_jsonb",
    `CREATE TABLE bench_copy_jsonb (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       line bigint NOT NULL, payload jsonb NOT NULL)`,
    "CREATE INDEX ON bench_copy_jsonb USING gin (payload jsonb_path_ops)",
  ]);
  return psql(databaseUrl, [
    `CREATE TEMP TABLE staging (${CSV_TABLE_COLUMNS})`,
    copyFrom("staging", file),
    "INSERT INTO bench_copy_jsonb (line, payload) SELECT id, to_jsonb(staging) FROM staging",
  ]);
}
