import { z } from "zod";

import { listAuditInputSchema } from "../../../audit/audit.schemas";
import { listAudit } from "../../../audit/list-audit";
import { listApiKeys } from "../../../auth/api-keys/list-api-keys";
import { revokeApiKey } from "../../../auth/api-keys/revoke-api-key";
import { revokeApiKeyInputSchema } from "../../../auth/api-keys/api-key.schemas";
import { resetMfa } from "../../../auth/mfa/reset-mfa";
import { createRole } from "../../../roles/create-role";
import { deleteRole } from "../../../roles/delete-role";
import { listRoles } from "../../../roles/list-roles";
import {
  createRoleInputSchema,
  deleteRoleInputSchema,
  updateRoleInputSchema,
} from "../../../roles/roles.schemas";
import { updateRole } from "../../../roles/update-role";
import { inviteUser } from "../../../users/invite-user";
import { listUsers } from "../../../users/list-users";
import { resetUserPassword } from "../../../users/reset-user-password";
import { setUserDisabled } from "../../../users/set-user-disabled";
import { setUserRoles } from "../../../users/set-user-roles";
import {
  inviteUserInputSchema,
  listUsersInputSchema,
  resetUserPasswordInputSchema,
  setUserDisabledInputSchema,
  setUserRolesInputSchema,
  userIdSchema,
} from "../../../users/users.schemas";
import { adminProcedure, protectedProcedure, router } from "../init";

/**
 * Administration. Every procedure is a door onto a service that checks the admin role itself;
 * adminProcedure checks it once more so a non-admin gets a clear 403 before any input is parsed.
 */
export const adminRouter = router({
  users: router({
    list: adminProcedure
      .input(listUsersInputSchema)
      .query(({ ctx, input }) => listUsers({ ...ctx.services, ...input })),
    invite: adminProcedure
      .input(inviteUserInputSchema)
      .mutation(({ ctx, input }) => inviteUser({ ...ctx.services, ...input })),
    setRoles: adminProcedure
      .input(setUserRolesInputSchema)
      .mutation(({ ctx, input }) => setUserRoles({ ...ctx.services, ...input })),
    setDisabled: adminProcedure
      .input(setUserDisabledInputSchema)
      .mutation(({ ctx, input }) => setUserDisabled({ ...ctx.services, ...input })),
    resetPassword: adminProcedure
      .input(resetUserPasswordInputSchema)
      .mutation(({ ctx, input }) => resetUserPassword({ ...ctx.services, ...input })),
    resetMfa: adminProcedure
      .input(z.object({ userId: userIdSchema }))
      .mutation(({ ctx, input }) => resetMfa({ ...ctx.services, userId: input.userId })),
  }),

  roles: router({
    // Any signed-in user may list roles (the API key form shows what a role allows).
    list: protectedProcedure.query(({ ctx }) => listRoles({ ...ctx.services })),
    create: adminProcedure
      .input(createRoleInputSchema)
      .mutation(({ ctx, input }) => createRole({ ...ctx.services, ...input })),
    update: adminProcedure
      .input(updateRoleInputSchema)
      .mutation(({ ctx, input }) => updateRole({ ...ctx.services, ...input })),
    delete: adminProcedure
      .input(deleteRoleInputSchema)
      .mutation(({ ctx, input }) => deleteRole({ ...ctx.services, ...input })),
  }),

  apiKeys: router({
    list: adminProcedure.query(({ ctx }) => listApiKeys({ ...ctx.services, scope: "all" })),
    revoke: adminProcedure
      .input(revokeApiKeyInputSchema)
      .mutation(({ ctx, input }) => revokeApiKey({ ...ctx.services, ...input })),
  }),

  audit: router({
    list: adminProcedure
      .input(listAuditInputSchema)
      .query(({ ctx, input }) => listAudit({ ...ctx.services, ...input })),
  }),
});
