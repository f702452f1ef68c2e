import type { ImportJob } from "../../db/generated/client";
import { type Checkpoint, readCheckpoint, saveCheckpoint } from "./checkpoint";
import { type ImportRun } from "./import-run";
import { type ColumnStats } from "./pipeline/row-transform";
import { type SourcePosition } from "./pipeline/source-row";
import { adoptStaging, stagingTable } from "./staging.queries";

/** The counters and sums a checkpoint carries, as this run goes on from them. */
export type PassState = {
  checksum: bigint;
  inferred: ColumnStats;
  reported: number;
  at: SourcePosition | null;
};

/**
 * Where this pass starts: from the job's checkpoint when there is one this run can go on from
 * (for a single pass, the staging table of the run that saved it is taken over), else from the
 * first row with nothing reported. Sets the progress counters either way.
 */
export async function startingPoint(
  run: ImportRun,
  job: ImportJob,
  stageRows: boolean,
  staging: string | undefined,
): Promise<{ checkpoint: Checkpoint | null; state: PassState }> {
  const { db, progress } = run;
  const fresh = async () => {
    await db.prisma.importRowError.deleteMany({ where: { jobId: job.id } });
    Object.assign(progress.counters, {
      rowsValidated: 0,
      rowsTransformed: 0,
      rowsAccepted: 0,
      rowsRejected: 0,
    });
    return {
      checkpoint: null,
      state: { checksum: 0n, inferred: {}, reported: 0, at: null },
    };
  };
  const saved = readCheckpoint(job);
  if (!saved || saved.staged !== stageRows) return fresh();
  if (saved.staged) {
    const adopted = await adoptStaging(db, stagingTable(job.id, saved.attempt), staging!, {
      line: saved.complete ? null : saved.at.line,
      rowsStaged: saved.rowsAccepted,
    });
    if (!adopted) return fresh();
    // The table is this run's now: a later retry must look for it under this run's name.
    await saveCheckpoint(db, job.id, { ...saved, attempt: job.attempts });
  }
  // Rows after the checkpoint are read again: so are their reasons in the report.
  if (!saved.complete) {
    await db.prisma.importRowError.deleteMany({
      where: { jobId: job.id, line: { gt: saved.at.line } },
    });
  }
  const reported = await db.prisma.importRowError.count({ where: { jobId: job.id } });
  Object.assign(progress.counters, {
    rowsValidated: saved.rowsValidated,
    rowsTransformed: saved.staged ? saved.rowsAccepted : 0,
    rowsAccepted: saved.rowsAccepted,
    rowsRejected: saved.rowsRejected,
  });
  return {
    checkpoint: saved,
    state: { checksum: BigInt(saved.checksum), inferred: saved.inferred, reported, at: saved.at },
  };
}
