import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll } from "vitest";

import { type Database } from "../db/client";
import { startDatabase } from "../db/database";

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database for one suite: an in-memory embedded one, or a new database on the
 * real server (created here, dropped after), so suites never see each other's rows.
 */
export function useTestDatabase(backend: { url?: string }): () => Database {
  let db: Database | undefined;
  let dropServerDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let url = backend.url;
    if (url) {
      const name = `lake_test_${randomUUID().replaceAll("-", "")}`;
      await admin(url, `create database ${name}`);
      const serverUrl = url;
      dropServerDatabase = () => admin(serverUrl, `drop database if exists ${name} with (force)`);
      url = Object.assign(new URL(url), { pathname: `/${name}` }).toString();
    }
    db = await startDatabase({ url, poolSize: 4 });
  });

  afterAll(async () => {
    await db?.close();
    await dropServerDatabase?.();
  });

  return () => {
    if (!db) throw new Error("the test database is not started yet");
    return db;
  };
}
