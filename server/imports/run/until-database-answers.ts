import { setTimeout as sleep } from "node:timers/promises";

import { type Database } from "../../db/client";

const POLL_MS = 250;

/**
 * Resolves once PostgreSQL answers again (at once when it never left), or when `signal` aborts
 * (shutdown). An import run whose database went away can record nothing — not its failure, not
 * "queued" for its retry — so without this it stayed `running` until the stalled-job sweep (a
 * minute of silence, then the next sweep) took it back; waiting here lets it resume within a
 * poll of PostgreSQL's return. The pool's 3 s connect timeout bounds each try.
 */
export async function untilDatabaseAnswers(db: Database, signal?: AbortSignal): Promise<void> {
  while (!signal?.aborted) {
    const answered = await db.pool.query("select 1").then(
      () => true,
      () => false,
    );
    if (answered) return;
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}
