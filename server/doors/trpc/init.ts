import { ATTR_RPC_METHOD, ATTR_RPC_SYSTEM_NAME } from "@opentelemetry/semantic-conventions";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";

import { type ConsoleUser } from "../../auth/console-user";
import { isAdmin } from "../../auth/principal";
import { cacheServices } from "../../cache/client";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { assertStorableInput } from "../../input/storable-input";
import { logger } from "../../observability/logger";
import { settleHttpSpan, withRequestSpan } from "../../observability/request-span";
import { failSpan } from "../../observability/tracer";
import { serviceContext } from "../../service-context";
import {
  consumeRateLimit,
  dataRateLimit,
  importRateLimit,
  type RateLimitRule,
} from "../rate-limits";
import { envelopeDetails } from "../rest/error-response";
import { isSameOrigin } from "./same-origin";
import { appErrorOf, TRPC_CODE } from "./trpc-errors";

export type TrpcContext = {
  requestId: string;
  headers: Headers;
  ip: string | null;
  /**
   * The signed-in console user (session cookie), or null. Resolved on first use, so procedures
   * that need no user (system status) still answer while the database is down.
   */
  user: () => Promise<ConsoleUser | null>;
  /** Set by the fetch handler when it refused the input before tRPC parsed it (too deep, too large). */
  inputError?: AppError;
};

const t = initTRPC.context<TrpcContext>().create({
  // The console sees the same error_code (and zod issues) as REST clients.
  errorFormatter({ shape, error }) {
    const appError = appErrorOf(error);
    return {
      ...shape,
      message: appError.code === "internal_error" ? "Internal server error." : shape.message,
      data: {
        ...shape.data,
        error_code: appError.code,
        details: envelopeDetails(appError),
        stack: undefined,
      },
    };
  },
});

/**
 * Each procedure call in a request span named by its path (a batch is several calls in one HTTP
 * request, which Next's own span covers), failed when its error is a 5xx.
 */
const traced = t.middleware(({ ctx, path, type, next }) =>
  withRequestSpan(
    {
      door: "trpc",
      name: `trpc ${type} ${path}`,
      carrier: ctx.headers,
      attributes: { [ATTR_RPC_SYSTEM_NAME]: "trpc", [ATTR_RPC_METHOD]: path },
    },
    async (span) => {
      const result = await next();
      if (!result.ok) {
        const { status } = appErrorOf(result.error);
        if (status >= 500) failSpan(span, result.error.cause ?? result.error);
        settleHttpSpan(span, status);
      }
      return result;
    },
  ),
);

/** Services throw AppError; here it becomes the TRPCError with the same HTTP status. */
const appErrors = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof ZodError)) {
    const appError = appErrorOf(result.error);
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

/**
 * The project's input rule (server/input/storable-input.ts) on every procedure's raw input, before
 * its parser: JSON nested too deep (measured by the fetch handler on the text), NUL, lone
 * surrogates and non-finite numbers are a 400 naming the field, as on REST, never a database error.
 */
const storableInput = t.middleware(async ({ ctx, getRawInput, next }) => {
  if (ctx.inputError) throw ctx.inputError;
  assertStorableInput(await getRawInput());
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

/**
 * The hourly limit REST applies to the same services (server/doors/rate-limits.ts), with the same
 * counter: a user's console calls and API calls draw on one budget. Runs after signedIn.
 */
export const limitedBy = (rule: RateLimitRule) =>
  t.middleware(async ({ ctx, next }) => {
    const { principal } = (await ctx.user())!;
    await consumeRateLimit({ cache: cacheServices(), principal, rule });
    return next();
  });

export const router = t.router;
export const publicProcedure = t.procedure.use(traced).use(appErrors).use(storableInput);
/** Signed in, gate not required: password change, MFA enrollment, "me". */
export const signedInProcedure = publicProcedure.use(sameOrigin).use(signedIn);
export const protectedProcedure = signedInProcedure.use(pastGate);
export const adminProcedure = protectedProcedure.use(admin);
/** Onto the data API's services (datasets, records, vectors): its 1000 requests per hour. */
export const dataProcedure = protectedProcedure.use(limitedBy(dataRateLimit));
/** Onto the imports' services: the import budget, as on /api/v1/lake/import. */
export const importProcedure = protectedProcedure.use(limitedBy(importRateLimit));
