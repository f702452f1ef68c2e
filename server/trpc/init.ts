import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";

import { toAppError } from "../http/to-app-error";
import { logger } from "../observability/logger";

export type TrpcContext = { requestId: string; headers: Headers };

const TRPC_CODE: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<TrpcContext>().create({
  // The console sees the same error_code (and zod issues) as REST clients.
  errorFormatter({ shape, error }) {
    const appError = toAppError(error.cause ?? error);
    return {
      ...shape,
      message: appError.code === "internal_error" ? "Internal server error." : shape.message,
      data: {
        ...shape.data,
        error_code: appError.code,
        details: appError.details ?? null,
        stack: undefined,
      },
    };
  },
});

/** Services throw AppError; here it becomes the TRPCError with the same HTTP status. */
const appErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof ZodError)) {
    const appError = toAppError(result.error.cause ?? result.error);
    if (appError.code === "internal_error") {
      logger().error(
        { err: result.error.cause ?? result.error, requestId: ctx.requestId, path },
        "unhandled error",
      );
    }
    throw new TRPCError({
      code: TRPC_CODE[appError.status] ?? "INTERNAL_SERVER_ERROR",
      message: appError.message,
      cause: appError,
    });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(appErrors);
