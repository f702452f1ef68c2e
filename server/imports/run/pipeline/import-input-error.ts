/**
 * The file itself is wrong (not UTF-8, a truncated gzip, an unclosed quote or array, no rows, too
 * many rejected rows): retrying cannot help, so the job fails at once with this message, which is
 * shown to the user as the job's `error`. Anything else a run throws is treated as transient and
 * retried with the queue's backoff.
 */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportInputError";
  }
}

/** The job was cancelled while it ran; the runner stops and removes what it loaded. */
export class ImportCancelledError extends Error {
  constructor() {
    super("The import was cancelled.");
    this.name = "ImportCancelledError";
  }
}

/**
 * The import ran out of memory although no row of the file is to blame: a fault of the importer
 * (or of its settings), not of the file. Retried like any transient failure, but its message,
 * which names no file content, is shown on the job instead of a generic one.
 */
export class ImportMemoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportMemoryError";
  }
}
