// `npm run db:diff -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that takes the newest migration to the current prisma/schema.prisma (what `prisma migrate
// dev --create-only` would write; Prisma's CLI cannot fetch its engine offline, docs/decisions/0002).
//
// The starting point is schema.prisma as committed with the newest migration: the drift test keeps
// every commit's migrations equal to its schema, so that file describes where the migrations end.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { MIGRATIONS_DIR, diffSchemas, readSchema } from "../server/db/migrations";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:diff -- <name>   (lowercase letters, digits and _)");
  process.exit(1);
}

const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
const lastMigrationCommit = git("log", "-1", "--format=%H", "--", "prisma/migrations");
const from = lastMigrationCommit
  ? git("show", `${lastMigrationCommit}:prisma/schema.prisma`)
  : undefined;

const sql = await diffSchemas(await readSchema(), from);
if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) {
  console.log("schema.prisma matches the migrations: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
