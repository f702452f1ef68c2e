import { z } from "zod";

import { type Database } from "../../db/client";
import { Prisma } from "../../db/generated/client";

/**
 * Where a job's validating pass stood when it last saved its progress: the place in the file
 * after the last row it handled, and its counts and checksum up to there. A retried run (stage
 * time limit, crash, restart) starts from here instead of from the first row (validate-stage.ts).
 * Single pass, every accepted row up to `at.line` is in `records` (hidden until the job succeeds):
 * a checkpoint is saved only after the loads it covers have committed. Exactly once still holds:
 * rows after `at.line` are read again, and a line an earlier run loaded past it is skipped by the
 * load's ON CONFLICT, never stored twice.
 */
export const checkpointSchema = z.object({
  /** The run (job attempt) that saved it: only that run may save over it. */
  attempt: z.number().int().nonnegative(),
  /**
   * The rows were loaded (single pass) rather than only validated (see canLoadInPass). A
   * checkpoint of an earlier release says `staged` instead, naming a staging table this release
   * does not read: it does not parse, and its job starts again from the first row.
   */
  loaded: z.boolean(),
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
  /** Sum of the loaded rows' checksums (a bigint, as text). */
  checksum: z.string().regex(/^-?\d+$/),
  /** What the columns' text looked like so far (CSV without a schema: the load's coercion). */
  inferred: z.record(z.string(), z.object({ numeric: z.boolean(), boolean: z.boolean() })),
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
