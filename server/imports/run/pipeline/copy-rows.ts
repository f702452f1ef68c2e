import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/**
 * Appends rows in COPY's text format (`copyLine`) to a table of (line, payload, embedding): a load
 * batch's temporary one (load-rows.ts). One
 * write per batch: a write per row made COPY's overhead the load's largest CPU cost (bench:import).
 */
export async function copyRowsInto(
  client: pg.ClientBase,
  table: string,
  text: Uint8Array,
): Promise<void> {
  if (text.byteLength === 0) return;
  const copy = client.query(copyFrom(`copy ${table} (line, payload, embedding) from stdin`));
  await pipeline(Readable.from([Buffer.from(text.buffer, text.byteOffset, text.byteLength)]), copy);
}
