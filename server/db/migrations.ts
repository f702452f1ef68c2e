import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { openSchemaEngine } from "./schema-engine";

const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const SCHEMA_FILE = path.join(PRISMA_DIR, "schema.prisma");
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export function readSchema(): Promise<string> {
  return readFile(SCHEMA_FILE, "utf8");
}

/** Prisma's migration folder, loaded the way its CLI loads it. */
async function loadMigrationsList() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const directories = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    baseDir: MIGRATIONS_DIR,
    shadowDbInitScript: "",
    lockfile: {
      path: "migration_lock.toml",
      content: await readFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), "utf8"),
    },
    migrationDirectories: await Promise.all(
      directories.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: {
            tag: "ok" as const,
            value: await readFile(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8"),
          },
        },
      })),
    ),
  };
}

/** Applies pending migrations; a second call applies nothing. Returns the names applied now. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  const { engine, close } = await openSchemaEngine({
    schema: await readSchema(),
    connectionString,
  });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await loadMigrationsList(),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

/**
 * The SQL that takes a database at schema `from` (empty when omitted) to schema `to`, as
 * `prisma migrate diff` prints it. The engine insists on a live connection even for this; an
 * in-memory embedded database serves.
 */
export async function diffSchemas(to: string, from?: string): Promise<string> {
  const { startEmbeddedPostgres } = await import("./embedded-postgres");
  const scratch = await startEmbeddedPostgres();
  const { engine, close } = await openSchemaEngine({ schema: to, connectionString: scratch.url });
  try {
    const { stdout } = await engine.diff({
      from: from
        ? { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] }
        : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stdout ?? "";
  } finally {
    await close();
    await scratch.close();
  }
}
