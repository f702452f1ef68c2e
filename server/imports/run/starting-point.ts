import type { ImportJob } from "../../db/generated/client";
import { type Checkpoint, readCheckpoint, saveCheckpoint } from "./checkpoint";
import { type ImportRun } from "./import-run";
import { type ColumnStats } from "./pipeline/row-transform";
import { type SourcePosition } from "./pipeline/source-row";

/** The counters and sums a checkpoint carries, as this run goes on from them. */
export type PassState = {
  checksum: bigint;
  inferred: ColumnStats;
  reported: number;
  at: SourcePosition | null;
};

/**
 * Where this pass starts: from the job's checkpoint when there is one this run can go on from,
 * else from the first row with nothing reported. Sets the progress counters either way. Rows an
 * earlier run loaded stay where they are: the checkpoint covers those up to its line, and the
 * load skips any past it (ON CONFLICT), so nothing is deleted here.
 */
export async function startingPoint(
  run: ImportRun,
  job: ImportJob,
  loadRows: boolean,
): Promise<{ checkpoint: Checkpoint | null; state: PassState }> {
  const { db, progress } = run;
  const fresh = async () => {
    await db.prisma.importRowError.deleteMany({ where: { jobId: job.id } });
    Object.assign(progress.counters, {
      rowsValidated: 0,
      rowsTransformed: 0,
      rowsLoaded: 0,
      rowsAccepted: 0,
      rowsRejected: 0,
    });
    return {
      checkpoint: null,
      state: { checksum: 0n, inferred: {}, reported: 0, at: null },
    };
  };
  const saved = readCheckpoint(job);
  if (!saved || saved.loaded !== loadRows) return fresh();
  // This run's now: only it may save over the checkpoint (saveCheckpoint fences by attempt).
  await saveCheckpoint(db, job.id, { ...saved, attempt: job.attempts });
  // Rows after the checkpoint are read again: so are their reasons in the report.
  if (!saved.complete) {
    await db.prisma.importRowError.deleteMany({
      where: { jobId: job.id, line: { gt: saved.at.line } },
    });
  }
  const reported = await db.prisma.importRowError.count({ where: { jobId: job.id } });
  Object.assign(progress.counters, {
    rowsValidated: saved.rowsValidated,
    rowsTransformed: saved.loaded ? saved.rowsAccepted : 0,
    rowsLoaded: saved.loaded ? saved.rowsAccepted : 0,
    rowsAccepted: saved.rowsAccepted,
    rowsRejected: saved.rowsRejected,
  });
  return {
    checkpoint: saved,
    state: { checksum: BigInt(saved.checksum), inferred: saved.inferred, reported, at: saved.at },
  };
}
