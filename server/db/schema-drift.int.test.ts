import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { databaseBackends } from "../testing/backends";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations, diffSchemas, readSchema } from "./migrations";

/**
 * schema.prisma and prisma/migrations must describe the same database. The engine cannot
 * introspect a live database through the pg adapter (ENVIRONMENT.md), so we build two fresh
 * databases — one from the migrations, one from `diff(empty → schema.prisma)` — and compare
 * their catalogs: tables, columns, types, nullability, defaults, indexes, constraints, enums.
 */
const CATALOG = `
  select 'column' as kind, table_name || '.' || column_name as name,
         concat_ws(' ', udt_name, character_maximum_length, is_nullable, column_default) as definition
    from information_schema.columns where table_schema = 'public' and table_name <> '_prisma_migrations'
  union all
  select 'index', indexname, indexdef from pg_indexes
   where schemaname = 'public' and tablename <> '_prisma_migrations'
  union all
  select 'constraint', conrelid::regclass || '.' || conname, pg_get_constraintdef(oid)
    from pg_constraint where connamespace = 'public'::regnamespace
     and conrelid <> coalesce(to_regclass('public._prisma_migrations'), 0)
  union all
  select 'enum', t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder)
    from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname
  union all
  select 'extension', extname, '' from pg_extension where extname = 'vector'
  order by 1, 2`;

async function describeDatabase(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ kind: string; name: string; definition: string }>(
      CATALOG,
    );
    return rows.map((r) => `${r.kind} ${r.name}: ${r.definition}`);
  } finally {
    await client.end();
  }
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Two empty databases on the backend, and how to drop them. */
async function scratchDatabases(backend: (typeof databaseBackends)[number]) {
  if (!backend.url) {
    const [a, b] = await Promise.all([startEmbeddedPostgres(), startEmbeddedPostgres()]);
    return {
      urls: [a.url, b.url] as const,
      drop: async () => void (await Promise.all([a.close(), b.close()])),
    };
  }
  const suffix = `${process.pid}_${Date.now()}`;
  const names = [`lake_drift_a_${suffix}`, `lake_drift_b_${suffix}`];
  for (const name of names) await execute(backend.url, `create database ${name}`);
  const urlOf = (name: string) =>
    Object.assign(new URL(backend.url!), { pathname: `/${name}` }).toString();
  return {
    urls: [urlOf(names[0]!), urlOf(names[1]!)] as const,
    drop: async () => {
      for (const name of names)
        await execute(backend.url!, `drop database if exists ${name} with (force)`);
    },
  };
}

describe.each(databaseBackends)("schema.prisma and migrations on $name PostgreSQL", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("describe the same database", async () => {
    const { urls, drop } = await scratchDatabases(backend);
    cleanups.push(drop);
    const [fromMigrations, fromSchema] = urls;

    expect(await applyMigrations(fromMigrations)).not.toHaveLength(0);
    await execute(fromSchema, await diffSchemas(await readSchema()));

    const [a, b] = await Promise.all([
      describeDatabase(fromMigrations),
      describeDatabase(fromSchema),
    ]);
    expect(a.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  }, 120_000); // two fresh databases and two schema-engine runs: ~25 s alone, more under load

  it("applies each migration once", async () => {
    const { urls, drop } = await scratchDatabases(backend);
    cleanups.push(drop);
    expect(await applyMigrations(urls[0])).not.toHaveLength(0);
    expect(await applyMigrations(urls[0])).toEqual([]);
  });
});
