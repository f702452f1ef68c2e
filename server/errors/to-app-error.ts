import { ZodError } from "zod";

import { AppError } from "./app-error";

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
]);

const BAD_VALUE_SQL_STATES = [
  "22P02", // invalid_text_representation
  "22P05", // untranslatable_character
  "22021", // character_not_in_repertoire
  "22003", // numeric_value_out_of_range
  "22007", // invalid_datetime_format
  "22008", // datetime_field_overflow (e.g. 2024-02-30)
];

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** A PostgreSQL SQLSTATE anywhere in the error (Prisma nests pg's under meta.driverAdapterError). */
function hasSqlState(error: unknown, sqlState: string, depth = 0): boolean {
  if (depth > 6 || typeof error !== "object" || error === null) return false;
  const { code, originalCode, cause, meta, driverAdapterError } = error as Record<string, unknown>;
  if (code === sqlState || originalCode === sqlState) return true;
  return [cause, meta, driverAdapterError].some((inner) => hasSqlState(inner, sqlState, depth + 1));
}

// What Prisma's pg adapter makes of a lost connection (ECONNRESET, ECONNREFUSED, ETIMEDOUT): a
// `DriverAdapterError` whose cause has this kind, alone (in a transaction) or under
// `meta.driverAdapterError` of a P2010 (a raw query) — mid-traffic cuts produce both.
const CONNECTION_ERROR_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
]);

/** True for any sign, at any depth of `cause`, that PostgreSQL cannot be reached. */
function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const code = errorCode(error);
  if (code && (CONNECTION_ERROR_CODES.has(code) || code === "P1001" || code === "P1017")) {
    return true;
  }
  const { kind, meta, driverAdapterError } = error as Record<string, unknown>;
  if (typeof kind === "string" && CONNECTION_ERROR_KINDS.has(kind)) return true;
  if ([meta, driverAdapterError].some((inner) => isDatabaseUnreachable(inner, depth + 1))) {
    return true;
  }
  const { message } = error as { message?: unknown };
  if (
    typeof message === "string" &&
    /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
      message,
    )
  ) {
    return true;
  }
  return isDatabaseUnreachable((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Maps anything thrown to an AppError: ours pass through, zod → 400 with its issues, Prisma's
 * unique and foreign-key violations → 409 and missing row → 404, an unreachable database → 503. Anything else is
 * an internal error whose message is never shown (the caller logs it with the request id).
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError(
      "validation_failed",
      "The request is invalid.",
      error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
        code: issue.code,
      })),
    );
  }
  const code = errorCode(error);
  if (code === "P2002" || code === "23505") {
    return new AppError("conflict", "A resource with the same unique value already exists.");
  }
  if (code === "P2025") return new AppError("not_found", "The resource was not found.");
  // A foreign key refused the write: what it refers to was deleted meanwhile (an import started
  // as its dataset is deleted), or something still refers to what is being deleted.
  if (code === "P2003" || hasSqlState(error, "23503")) {
    return new AppError(
      "conflict",
      "A resource this refers to was deleted meanwhile, or another still refers to it.",
    );
  }
  // PostgreSQL refusing a value the request carried (a malformed UUID, text it cannot store, a
  // number beyond its type): the request's fault. Doors validate first and name the field; this
  // keeps what slips past them a 400, never a 500.
  if (code === "P2023" || BAD_VALUE_SQL_STATES.some((state) => hasSqlState(error, state))) {
    return new AppError("bad_request", "A value in the request is not valid for its type.");
  }
  // No connection for a transaction in time: the database is saturated, so try again shortly.
  if (code === "P2028") {
    return new AppError(
      "service_unavailable",
      "The database is busy; try again shortly.",
      undefined,
      { "Retry-After": "2" },
    );
  }
  if (hasSqlState(error, "57014")) {
    return new AppError(
      "service_unavailable",
      "The query took longer than the statement timeout allows.",
      undefined,
      {
        "Retry-After": "5",
      },
    );
  }
  if (isDatabaseUnreachable(error)) {
    return new AppError(
      "database_unavailable",
      "The database is unavailable. Try again shortly.",
      undefined,
      { "Retry-After": "5" },
    );
  }
  return new AppError("internal_error", "Internal server error.");
}
