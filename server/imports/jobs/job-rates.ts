/** Where the running stage stands, as the job row and the running worker know it. */
export type StagePosition = {
  stage: "validate" | "transform" | "load";
  /** Seconds since the stage started. */
  seconds: number;
  /** Rows the stage has handled. */
  rows: number;
  /** Rows the stage will handle in all: known for transform and load (the rows accepted). */
  rowsTotal: number;
  /** Bytes of the file validation has read; only the running worker knows it. */
  bytesRead?: number;
  bytesTotal: number | null;
};

export type JobRates = {
  rowsPerSecond: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
};

/**
 * Rows (and, while validating, bytes) per second since the stage started, and seconds left.
 * Validation does not know the file's row count, so its ETA comes from the bytes left at the
 * byte rate; transform and load know their total, so theirs comes from the rows left.
 */
export function jobRates(position: StagePosition): JobRates {
  const seconds = Math.max(0.001, position.seconds);
  const rowsPerSecond = position.rows / seconds;
  const { bytesRead, bytesTotal } = position;
  if (position.stage === "validate") {
    if (!bytesRead || !bytesTotal) return { rowsPerSecond, bytesPerSecond: null, etaSeconds: null };
    const bytesPerSecond = bytesRead / seconds;
    return {
      rowsPerSecond,
      bytesPerSecond,
      etaSeconds: Math.max(0, (bytesTotal - bytesRead) / bytesPerSecond),
    };
  }
  if (rowsPerSecond <= 0) return { rowsPerSecond, bytesPerSecond: null, etaSeconds: null };
  return {
    rowsPerSecond,
    bytesPerSecond: null,
    etaSeconds: Math.max(0, (position.rowsTotal - position.rows) / rowsPerSecond),
  };
}
