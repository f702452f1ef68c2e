import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";

import { type ConsoleUser } from "../../auth/console-user";
import { isAdmin } from "../../auth/principal";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { serviceContext } from "../../service-context";
import { isSameOrigin } from "./same-origin";

export type TrpcContext = {
  requestId: string;
  headers: Headers;
  ip: string | null;
  /**
   * The signed-in console user (session cookie), or null. Resolved on first use, so procedures
   * that need no user (system status) still answer while the database is down.
   */
  user: () => Promise<ConsoleUser | null>;
};

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

/**
 * CSRF: a mutation must come from a page of this origin. Browsers always send Origin on such
 * requests, and tRPC's JSON body cannot be sent cross-site without a CORS preflight we never
 * grant; SameSite=Lax cookies are the third layer.
 */
const sameOrigin = t.middleware(({ ctx, type, next }) => {
  if (type !== "mutation") return next();
  if (!isSameOrigin(ctx.headers, { trustProxy: env().LAKE_TRUST_PROXY })) {
    throw new AppError("forbidden", "Cross-site request refused.", { reason: "csrf" });
  }
  return next();
});

const signedIn = t.middleware(async ({ ctx, next }) => {
  const user = await ctx.user();
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  const { principal } = user;
  const services = serviceContext({ principal, ip: ctx.ip, requestId: ctx.requestId });
  return next({ ctx: { ...ctx, consoleUser: user, principal, services } });
});

/** Until a forced password change or MFA enrollment is done, only those procedures may run. */
const pastGate = t.middleware(async ({ ctx, next }) => {
  const user = (await ctx.user())!;
  if (user.mustChangePassword) {
    throw new AppError("forbidden", "Change your password first.", {
      reason: "password_change_required",
    });
  }
  if (user.mfaEnrollmentRequired) {
    throw new AppError("forbidden", "Set up two-factor authentication first.", {
      reason: "mfa_enrollment_required",
    });
  }
  return next();
});

const admin = t.middleware(async ({ ctx, next }) => {
  const user = await ctx.user();
  if (!user || !isAdmin(user.principal))
    throw new AppError("forbidden", "Only administrators can do this.");
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(appErrors);
/** Signed in, gate not required: password change, MFA enrollment, "me". */
export const signedInProcedure = publicProcedure.use(sameOrigin).use(signedIn);
export const protectedProcedure = signedInProcedure.use(pastGate);
export const adminProcedure = protectedProcedure.use(admin);
