/**
 * Whether retrying a failed import can help, told by its message. A failure about the file itself
 * (empty, header only, too many bad rows) fails the same way on every retry, so only the failures
 * that are not the file's fault — attempts used up on an outage or a timeout, a consistency check
 * that found stored rows differing — end with this advice. The job view derives `retryable` from
 * it, so the API's text and the console's Retry button cannot disagree (and no column is needed).
 */
export const RETRY_ADVICE = "Retry the import.";

export const withRetryAdvice = (message: string): string => `${message} ${RETRY_ADVICE}`;

export function isRetryable(job: { status: string; error: string | null }): boolean {
  if (job.status === "cancelled") return true;
  return job.status === "failed" && (job.error?.endsWith(RETRY_ADVICE) ?? false);
}
