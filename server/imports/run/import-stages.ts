import { type Database } from "../../db/client";
import type { ImportStageName } from "../../db/generated/enums";

export const STAGES: ImportStageName[] = ["validate", "transform", "load"];

/** The three stage rows of a job, created once (a re-run updates them). */
export async function ensureStages(db: Database, jobId: string): Promise<void> {
  await db.prisma.importStage.createMany({
    data: STAGES.map((name) => ({ jobId, name })),
    skipDuplicates: true,
  });
}

export async function startStage(db: Database, jobId: string, name: ImportStageName) {
  await db.prisma.importStage.update({
    where: { jobId_name: { jobId, name } },
    data: {
      status: "running",
      attempts: { increment: 1 },
      startedAt: new Date(),
      finishedAt: null,
      error: null,
      rowsIn: 0,
      rowsOut: 0,
    },
  });
}

/**
 * Starts a stage unless it is running already: the single pass starts the load with the
 * validation, and a run resumed from a complete checkpoint finds it reset to pending.
 */
export async function continueStage(db: Database, jobId: string, name: ImportStageName) {
  const stage = await db.prisma.importStage.findUnique({
    where: { jobId_name: { jobId, name } },
    select: { status: true },
  });
  if (stage?.status !== "running") await startStage(db, jobId, name);
}

export async function finishStage(
  db: Database,
  jobId: string,
  name: ImportStageName,
  rows: { rowsIn: number; rowsOut: number },
) {
  await db.prisma.importStage.update({
    where: { jobId_name: { jobId, name } },
    data: { status: "succeeded", finishedAt: new Date(), ...rows },
  });
}

/** Marks the stages still running as failed, and those never reached as skipped. */
export async function closeOpenStages(db: Database, jobId: string, error: string) {
  await db.prisma.importStage.updateMany({
    where: { jobId, status: "running" },
    data: { status: "failed", error, finishedAt: new Date() },
  });
  await db.prisma.importStage.updateMany({
    where: { jobId, status: "pending" },
    data: { status: "skipped" },
  });
}

/** Back to pending: a retry runs every stage again. */
export async function resetStages(db: Database, jobId: string) {
  await db.prisma.importStage.updateMany({
    where: { jobId },
    data: {
      status: "pending",
      error: null,
      startedAt: null,
      finishedAt: null,
      rowsIn: 0,
      rowsOut: 0,
    },
  });
}
