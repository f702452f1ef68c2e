import { z } from "zod";

import { type Database } from "../../db/client";
import { Prisma } from "../../db/generated/client";

/**
 * Where a job's validate-and-stage pass stood when it last saved its progress: the place in the
 * file after the last row it handled, its counts and checksum up to there, and — single pass —
 * which run's staging table holds the rows staged up to there. A retried run (stage time limit,
 * crash, restart) starts from here instead of from the first row (validate-stage.ts); exactly
 * once still holds, since everything after `at.line` is thrown away and done again.
 */
export const checkpointSchema = z.object({
  /** The run (job attempt) that saved it, and whose staging table holds its rows. */
  attempt: z.number().int().nonnegative(),
  /** The rows were staged (single pass) rather than only validated (see canStage). */
  staged: z.boolean(),
  /** The pass read the whole file: a retry goes straight on to the load. */
  complete: z.boolean(),
  at: z.object({ bytes: z.number().int().nonnegative(), line: z.number().int().nonnegative() }),
  /**
   * Bytes of the upload (as stored: compressed, if it is) read when it was saved — the position
   * (and so the ETA) a client polling the job sees; the run's own updates carry a fresher one.
   */
  fileBytes: z.number().int().nonnegative().optional(),
  rowsValidated: z.number().int().nonnegative(),
  rowsAccepted: z.number().int().nonnegative(),
  rowsRejected: z.number().int().nonnegative(),
  /** Sum of the staged rows' checksums (a bigint, as text). */
  checksum: z.string().regex(/^-?\d+$/),
  /** What the columns' text looked like so far (CSV without a schema: the load's coercion). */
  inferred: z.record(z.string(), z.object({ numeric: z.boolean(), boolean: z.boolean() })),
  /** Single pass, once complete: every staged line up to this one is in `records`. */
  moved: z.number().int().nonnegative().optional(),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** The job's checkpoint, or null (none, or one an older release wrote in another shape). */
export function readCheckpoint(job: { checkpoint: unknown }): Checkpoint | null {
  const parsed = checkpointSchema.safeParse(job.checkpoint);
  return parsed.success ? parsed.data : null;
}

/**
 * Saves it on the job, only while the run that made it still owns the job: a run that a retry
 * has superseded cannot move the retry's place. Returns whether it was saved.
 */
export async function saveCheckpoint(
  db: Database,
  jobId: string,
  checkpoint: Checkpoint,
): Promise<boolean> {
  const { count } = await db.prisma.importJob.updateMany({
    where: { id: jobId, status: "running", attempts: checkpoint.attempt },
    data: { checkpoint },
  });
  return count > 0;
}

/** Forgets it: the next run starts from the first row. */
export async function clearCheckpoint(db: Database, jobId: string): Promise<void> {
  await db.prisma.importJob.updateMany({
    where: { id: jobId },
    data: { checkpoint: Prisma.DbNull },
  });
}

/**
 * The move's progress (single pass): every staged line through `line` is in `records`. Saved
 * after the transactions that moved them have committed, with a synchronous commit of its own —
 * so if it survives a crash of PostgreSQL, so did they (load transactions commit asynchronously,
 * imports.queries.ts) — and a resumed move starts after it.
 */
export async function saveMoveMark(
  db: Database,
  job: { id: string; attempts: number },
  line: number,
): Promise<void> {
  await db.pool.query(
    `update import_jobs set checkpoint = jsonb_set(checkpoint, '{moved}', to_jsonb($2::bigint))
      where id = $1 and attempts = $3 and status = 'running' and checkpoint is not null`,
    [job.id, line, job.attempts],
  );
}
