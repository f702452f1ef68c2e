import { z } from "zod";

import { listAuditInputSchema } from "../../audit/audit.schemas";
import { listAudit } from "../../audit/list-audit";
import { listApiKeys } from "../../auth/api-keys/list-api-keys";
import { revokeApiKey } from "../../auth/api-keys/revoke-api-key";
import { revokeApiKeyInputSchema } from "../../auth/api-keys/api-key.schemas";
import { resetMfa } from "../../auth/mfa/reset-mfa";
import { servicesFor } from "../../services";
import { createRole } from "../../roles/create-role";
import { deleteRole } from "../../roles/delete-role";
import { listRoles } from "../../roles/list-roles";
import {
  createRoleInputSchema,
  deleteRoleInputSchema,
  updateRoleInputSchema,
} from "../../roles/roles.schemas";
import { updateRole } from "../../roles/update-role";
import { inviteUser } from "../../users/invite-user";
import { listUsers } from "../../users/list-users";
import { resetUserPassword } from "../../users/reset-user-password";
import { setUserDisabled } from "../../users/set-user-disabled";
import { setUserRoles } from "../../users/set-user-roles";
import {
  inviteUserInputSchema,
  resetUserPasswordInputSchema,
  setUserDisabledInputSchema,
  setUserRolesInputSchema,
  userIdSchema,
} from "../../users/users.schemas";
import { adminProcedure, protectedProcedure, router } from "../init";

/**
 * Administration. Every procedure is a door onto a service that checks the admin role itself;
 * adminProcedure checks it once more so a non-admin gets a clear 403 before any input is parsed.
 */
export const adminRouter = router({
  users: router({
    list: adminProcedure.query(({ ctx }) =>
      listUsers({ ...servicesFor(ctx), actor: ctx.principal }),
    ),
    invite: adminProcedure
      .input(inviteUserInputSchema)
      .mutation(({ ctx, input }) =>
        inviteUser({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    setRoles: adminProcedure
      .input(setUserRolesInputSchema)
      .mutation(({ ctx, input }) =>
        setUserRoles({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    setDisabled: adminProcedure
      .input(setUserDisabledInputSchema)
      .mutation(({ ctx, input }) =>
        setUserDisabled({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    resetPassword: adminProcedure
      .input(resetUserPasswordInputSchema)
      .mutation(({ ctx, input }) =>
        resetUserPassword({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    resetMfa: adminProcedure
      .input(z.object({ userId: userIdSchema }))
      .mutation(({ ctx, input }) =>
        resetMfa({ ...servicesFor(ctx), actor: ctx.principal, userId: input.userId }),
      ),
  }),

  roles: router({
    // Any signed-in user may list roles (the API key form shows what a role allows).
    list: protectedProcedure.query(({ ctx }) =>
      listRoles({ ...servicesFor(ctx), actor: ctx.principal }),
    ),
    create: adminProcedure
      .input(createRoleInputSchema)
      .mutation(({ ctx, input }) =>
        createRole({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    update: adminProcedure
      .input(updateRoleInputSchema)
      .mutation(({ ctx, input }) =>
        updateRole({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
    delete: adminProcedure
      .input(deleteRoleInputSchema)
      .mutation(({ ctx, input }) =>
        deleteRole({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
  }),

  apiKeys: router({
    list: adminProcedure.query(({ ctx }) => listApiKeys({ ...servicesFor(ctx), scope: "all" })),
    revoke: adminProcedure
      .input(revokeApiKeyInputSchema)
      .mutation(({ ctx, input }) => revokeApiKey({ ...servicesFor(ctx), ...input })),
  }),

  audit: router({
    list: adminProcedure
      .input(listAuditInputSchema)
      .query(({ ctx, input }) =>
        listAudit({ ...servicesFor(ctx), actor: ctx.principal, ...input }),
      ),
  }),
});
