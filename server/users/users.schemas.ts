import { z } from "zod";

import type { Prisma } from "../db/generated/client";

// Services parse their own inputs with these, so every door (REST, tRPC, GraphQL) gets the same
// limits; a failure surfaces as AppError("validation_failed") with zod's issues as details.

/** Stored lowercased: the unique index then makes emails unique regardless of case. */
export const userEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .describe("The user's email address; compared and stored in lower case.");

export const userNameSchema = z
  .string()
  .trim()
  .max(100)
  .nullish()
  .transform((name) => name || null)
  .describe("A display name; empty means none.");

/** Deduplicated and sorted, so the same set of roles always reads the same in views and audit. */
export const roleNamesSchema = z
  .array(z.string().trim().min(1).max(40))
  .min(1)
  .transform((names) => [...new Set(names)].sort())
  .describe("Names of the roles the user holds; at least one.");

/** The upper bound keeps a hostile request from making argon2 hash megabytes. */
export const newPasswordSchema = z
  .string()
  .min(12, "A password needs at least 12 characters.")
  .max(1024)
  .describe("At least 12 characters.");

export const userIdSchema = z.uuid().describe("The user's id.");

export const inviteUserInputSchema = z.object({
  email: userEmailSchema,
  name: userNameSchema,
  roleNames: roleNamesSchema,
});
export type InviteUserInput = z.input<typeof inviteUserInputSchema>;

export const setUserRolesInputSchema = z.object({
  userId: userIdSchema,
  roleNames: roleNamesSchema,
});
export type SetUserRolesInput = z.input<typeof setUserRolesInputSchema>;

export const setUserDisabledInputSchema = z.object({
  userId: userIdSchema,
  disabled: z
    .boolean()
    .describe("true disables the account (ending its sessions), false enables it."),
});
export type SetUserDisabledInput = z.input<typeof setUserDisabledInputSchema>;

export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: newPasswordSchema,
});
export type ChangePasswordInput = z.input<typeof changePasswordInputSchema>;

export const listUsersInputSchema = z.object({
  search: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((text) => text || undefined)
    .describe("Only users whose email or name contains this, in any case."),
  page: z.number().int().min(1).max(100_000).default(1).describe("1 for the first page."),
  pageSize: z.number().int().min(1).max(100).default(25).describe("Users per page, 1–100."),
});
export type ListUsersInput = z.input<typeof listUsersInputSchema>;

export const resetUserPasswordInputSchema = z.object({ userId: userIdSchema });
export type ResetUserPasswordInput = z.input<typeof resetUserPasswordInputSchema>;

/** What leaves the server about a user: never the password hash, the MFA secret or backup codes. */
export const userViewSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.string()).describe("Role names, sorted."),
  disabled: z.boolean(),
  mfaEnabled: z.boolean().describe("Whether a second factor is enrolled and confirmed."),
  mustChangePassword: z
    .boolean()
    .describe("Set on invitation and reset: the next sign-in must choose a new password."),
  lastSignInAt: z.date().nullable(),
  createdAt: z.date(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const userPageSchema = z.object({
  items: z.array(userViewSchema),
  total: z.number().int().describe("Users matching the search, on every page."),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type UserPage = z.infer<typeof userPageSchema>;

/**
 * The columns a view needs and nothing more: queries select through this, so the password hash
 * and the MFA secret are never even read into memory on these paths.
 */
export const userViewSelect = {
  id: true,
  email: true,
  name: true,
  disabledAt: true,
  mustChangePassword: true,
  lastSignInAt: true,
  createdAt: true,
  roles: { select: { role: { select: { name: true } } } },
  mfa: { select: { enabledAt: true } },
} as const satisfies Prisma.UserSelect;

export type UserViewRow = Prisma.UserGetPayload<{ select: typeof userViewSelect }>;

/** Builds the view field by field, so a column added later never leaks by default. */
export function toUserView(row: UserViewRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles.map(({ role }) => role.name).sort(),
    disabled: row.disabledAt !== null,
    mfaEnabled: row.mfa?.enabledAt != null,
    mustChangePassword: row.mustChangePassword,
    lastSignInAt: row.lastSignInAt,
    createdAt: row.createdAt,
  };
}
