import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** Where a source thread stages its rows itself (a real server only; see source-thread.ts). */
export type StagingTarget = { url: string; table: string };

/**
 * Appends rows in COPY's text format (`line\tjsonb\tembedding-or-\N\n`…) to a run's staging table
 * (staging.queries.ts). The text is jsonb's own, so PostgreSQL parses it here, once, and the move
 * into `records` copies jsonb values.
 */
export async function copyIntoStaging(
  client: pg.ClientBase,
  table: string,
  text: Uint8Array,
): Promise<void> {
  if (text.byteLength === 0) return;
  const copy = client.query(copyFrom(`copy ${table} (line, payload, embedding) from stdin`));
  await pipeline(Readable.from([Buffer.from(text.buffer, text.byteOffset, text.byteLength)]), copy);
}
