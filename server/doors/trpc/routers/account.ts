import { z } from "zod";

import { createApiKey } from "../../../auth/api-keys/create-api-key";
import {
  createApiKeyInputSchema,
  revokeApiKeyInputSchema,
  rotateApiKeyInputSchema,
} from "../../../auth/api-keys/api-key.schemas";
import { listApiKeys } from "../../../auth/api-keys/list-api-keys";
import { revokeApiKey } from "../../../auth/api-keys/revoke-api-key";
import { rotateApiKey } from "../../../auth/api-keys/rotate-api-key";
import { confirmTotpEnrollment } from "../../../auth/mfa/confirm-totp-enrollment";
import { disableMfa } from "../../../auth/mfa/disable-mfa";
import { getMfaStatus } from "../../../auth/mfa/get-mfa-status";
import { regenerateBackupCodes } from "../../../auth/mfa/regenerate-backup-codes";
import { startTotpEnrollment } from "../../../auth/mfa/start-totp-enrollment";
import { PERMISSIONS } from "../../../auth/principal";
import { guardAuthAttempt } from "../../../auth/sign-in/guard-auth-attempt";
import { changePassword } from "../../../users/change-password";
import { protectedProcedure, router, signedInProcedure } from "../init";

const code = z.object({ code: z.string().min(6).max(32) });

/** Each password or MFA code check counts toward the same per-account and per-IP limit as sign-in. */
const authAttemptProcedure = signedInProcedure.use(async ({ ctx, next }) => {
  await guardAuthAttempt({ account: ctx.principal.email, ip: ctx.ip });
  return next();
});

/** The signed-in user's own account: profile, password, MFA, API keys. */
export const accountRouter = router({
  me: signedInProcedure.query(({ ctx }) => ({
    id: ctx.principal.userId,
    email: ctx.principal.email,
    roles: ctx.principal.roles,
    permissions: PERMISSIONS.filter((p) => ctx.principal.permissions.has(p)),
    mustChangePassword: ctx.consoleUser.mustChangePassword,
    mfaEnabled: ctx.consoleUser.mfaEnabled,
    mfaEnrollmentRequired: ctx.consoleUser.mfaEnrollmentRequired,
  })),

  changePassword: authAttemptProcedure
    .input(
      z.object({
        currentPassword: z.string().min(1).max(1024),
        newPassword: z.string().min(12).max(1024),
      }),
    )
    .mutation(({ ctx, input }) => changePassword({ ...ctx.services, ...input })),

  mfa: router({
    status: signedInProcedure.query(({ ctx }) => getMfaStatus(ctx.services)),
    start: signedInProcedure.mutation(({ ctx }) => startTotpEnrollment({ ...ctx.services })),
    confirm: authAttemptProcedure
      .input(code)
      .mutation(({ ctx, input }) => confirmTotpEnrollment({ ...ctx.services, code: input.code })),
    regenerateBackupCodes: authAttemptProcedure
      .input(code)
      .mutation(({ ctx, input }) => regenerateBackupCodes({ ...ctx.services, code: input.code })),
    disable: authAttemptProcedure
      .input(code)
      .mutation(({ ctx, input }) => disableMfa({ ...ctx.services, code: input.code })),
  }),

  apiKeys: router({
    list: protectedProcedure.query(({ ctx }) => listApiKeys({ ...ctx.services, scope: "mine" })),
    create: protectedProcedure
      .input(createApiKeyInputSchema)
      .mutation(({ ctx, input }) => createApiKey({ ...ctx.services, ...input })),
    rotate: protectedProcedure
      .input(rotateApiKeyInputSchema)
      .mutation(({ ctx, input }) => rotateApiKey({ ...ctx.services, ...input })),
    revoke: protectedProcedure
      .input(revokeApiKeyInputSchema)
      .mutation(({ ctx, input }) => revokeApiKey({ ...ctx.services, ...input })),
  }),
});
