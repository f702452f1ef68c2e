import { type PubSub } from "../../cache/pubsub";
import { type Database } from "../../db/client";
import { counter } from "../../observability/metrics";
import type { ImportStageName } from "../../db/generated/enums";
import { publishImportEvent } from "../jobs/import-events";
import { jobWithStages, toJobView } from "../jobs/job-view";

const FLUSH_INTERVAL_MS = 250;

/** Listed on /metrics from the start (boot calls it), before any import has run. */
export const importRowsMetric = () =>
  counter({
    name: "import_rows_total",
    help: "Rows imported by this process, by job counter (validated, transformed, accepted, rejected, loaded).",
    labelNames: ["counter"] as const,
  });

export type ProgressCounters = {
  rowsValidated: number;
  rowsTransformed: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsLoaded: number;
};

/**
 * A running job's counters, written to its row and published on `imports:<id>` at most every
 * 250 ms (and on demand), so the console's view moves live without a write per row. Every flush
 * also bumps `updated_at`: the heartbeat by which a stalled job is recognised (import-reconciler).
 */
export function createImportProgress(options: {
  db: Database;
  pubsub: PubSub;
  jobId: string;
  bytesRead?: () => number;
}) {
  const counters: ProgressCounters = {
    rowsValidated: 0,
    rowsTransformed: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    rowsLoaded: 0,
  };
  let stage: ImportStageName | null = null;
  let bytesRead = options.bytesRead;
  let lastFlush = 0;
  let flushing: Promise<void> = Promise.resolve();

  const write = async () => {
    const job = await options.db.prisma.importJob.update({
      where: { id: options.jobId },
      data: {
        stage,
        rowsValidated: counters.rowsValidated,
        rowsTransformed: counters.rowsTransformed,
        rowsAccepted: counters.rowsAccepted,
        rowsRejected: counters.rowsRejected,
        rowsLoaded: counters.rowsLoaded,
      },
      include: jobWithStages,
    });
    await publishImportEvent(options.pubsub, options.jobId, {
      type: "progress",
      job: toJobView(job, { bytesRead: stage === "validate" ? bytesRead?.() : undefined }),
    });
  };

  const flush = () => {
    lastFlush = Date.now();
    flushing = flushing.then(write, write);
    return flushing;
  };

  return {
    counters,
    /**
     * Rows newly counted, on the job and on /metrics. Counters set outright (reset, or restored
     * from a checkpoint on resume) are not rows this run handled and stay off /metrics.
     */
    count(key: keyof ProgressCounters, rows: number) {
      counters[key] += rows;
      if (rows > 0) importRowsMetric().inc({ counter: key.slice(4).toLowerCase() }, rows);
    },
    setStage(next: ImportStageName | null, read?: () => number) {
      stage = next;
      if (read) bytesRead = read;
    },
    /** Call as often as you like: writes only when 250 ms have passed since the last write. */
    tick(): Promise<void> | undefined {
      return Date.now() - lastFlush >= FLUSH_INTERVAL_MS ? flush() : undefined;
    },
    flush,
  };
}

export type ImportProgress = ReturnType<typeof createImportProgress>;
