/**
 * The part of a tRPC client error the console reads. The server's errorFormatter puts the same
 * `error_code` and `details` on it that REST clients get in the envelope.
 */
export type AppErrorLike = {
  message: string;
  data?: { error_code?: string | null; details?: unknown } | null;
};

export function errorCode(error: AppErrorLike | null | undefined): string | undefined {
  return error?.data?.error_code ?? undefined;
}

/** details.reason, which services set to tell apart failures that share a code. */
export function errorReason(error: AppErrorLike | null | undefined): string | undefined {
  const details = error?.data?.details;
  if (typeof details !== "object" || details === null || Array.isArray(details)) return undefined;
  const reason = (details as { reason?: unknown }).reason;
  return typeof reason === "string" ? reason : undefined;
}

export type ValidationIssue = { path: string; message: string };

/** zod's issues, which validation_failed errors carry as details. */
export function validationIssues(error: AppErrorLike | null | undefined): ValidationIssue[] {
  const details = error?.data?.details;
  if (errorCode(error) !== "validation_failed" || !Array.isArray(details)) return [];
  return details.filter(
    (issue): issue is ValidationIssue =>
      typeof issue === "object" &&
      issue !== null &&
      typeof (issue as ValidationIssue).message === "string",
  );
}

/** A number in details, e.g. the user_count of a role that is still in use. */
export function detailNumber(
  error: AppErrorLike | null | undefined,
  key: string,
): number | undefined {
  const details = error?.data?.details;
  if (typeof details !== "object" || details === null) return undefined;
  const value = (details as Record<string, unknown>)[key];
  return typeof value === "number" ? value : undefined;
}
