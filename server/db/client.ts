import type pg from "pg";

import { slot } from "../singleton";
import type { PrismaClient } from "./generated/client";

export type DatabaseMode = "embedded" | "server";

export type Database = {
  mode: DatabaseMode;
  /** The connection string, for work that needs a connection of its own (an import's thread). */
  url: string;
  /** Raw SQL (pgvector, COPY) goes through this pool; Prisma shares it. */
  pool: pg.Pool;
  prisma: PrismaClient;
  close(): Promise<void>;
};

// Route handlers reach the database through this slot, filled by server/main.ts (or a test's
// setup): they never open pools of their own, nor load the embedded server or migration engine.
const current = slot<Database>("database");

export function setDatabase(db: Database | undefined): void {
  current.set(db);
}

/** The process's database; throws when the process has not started one. */
export function database(): Database {
  const db = current.get();
  if (!db) throw new Error("The database has not been started (server/main.ts starts it).");
  return db;
}
