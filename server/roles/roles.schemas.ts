import { z } from "zod";

import { PERMISSIONS } from "../auth/principal";
import type { Prisma } from "../db/generated/client";

// Services parse their own inputs with these, so every door (REST, tRPC, GraphQL) gets the same
// limits; a failure surfaces as AppError("validation_failed") with zod's issues as details.

export const roleNameSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z0-9_-]*$/, "Lower-case letters, digits, '-' and '_', starting with a letter.")
  .describe("A unique name, e.g. analyst; lower case.");

/** Deduplicated and put in PERMISSIONS order, so equal permission sets are stored equal. */
export const rolePermissionsSchema = z
  .array(z.enum(PERMISSIONS))
  .min(1)
  .transform((permissions) => PERMISSIONS.filter((p) => permissions.includes(p)))
  .describe("What holders of the role may do.");

export const roleDescriptionSchema = z
  .string()
  .trim()
  .max(200)
  .nullable()
  .transform((description) => description || null)
  .describe("What the role is for; empty means none.");

export const roleRequireMfaSchema = z
  .boolean()
  .describe("Holders must have a second factor enrolled to sign in.");

export const roleIdSchema = z.uuid().describe("The role's id.");

export const createRoleInputSchema = z.object({
  name: roleNameSchema,
  description: roleDescriptionSchema.optional(),
  permissions: rolePermissionsSchema,
  requireMfa: roleRequireMfaSchema.default(false),
});
export type CreateRoleInput = z.input<typeof createRoleInputSchema>;

/** Omitted fields stay as they are. */
export const updateRoleInputSchema = z.object({
  roleId: roleIdSchema,
  name: roleNameSchema.optional(),
  description: roleDescriptionSchema.optional(),
  permissions: rolePermissionsSchema.optional(),
  requireMfa: roleRequireMfaSchema.optional(),
});
export type UpdateRoleInput = z.input<typeof updateRoleInputSchema>;

export const deleteRoleInputSchema = z.object({
  roleId: roleIdSchema,
  force: z
    .boolean()
    .default(false)
    .describe("Delete even when users hold the role; they lose it (and keep their other roles)."),
});
export type DeleteRoleInput = z.input<typeof deleteRoleInputSchema>;

export const roleViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  builtIn: z
    .boolean()
    .describe("admin and reader: cannot be deleted, renamed or given other permissions."),
  requireMfa: z.boolean(),
  userCount: z.number().int().describe("How many users hold the role, disabled ones included."),
});
export type RoleView = z.infer<typeof roleViewSchema>;

export const roleViewSelect = {
  id: true,
  name: true,
  description: true,
  permissions: true,
  builtIn: true,
  requireMfa: true,
  _count: { select: { users: true } },
} as const satisfies Prisma.RoleSelect;

export type RoleViewRow = Prisma.RoleGetPayload<{ select: typeof roleViewSelect }>;

/** Builds the view field by field, so a column added later never leaks by default. */
export function toRoleView(row: RoleViewRow): RoleView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    builtIn: row.builtIn,
    requireMfa: row.requireMfa,
    userCount: row._count.users,
  };
}

/** The fields audit entries show before and after a change. */
export function roleSummary(row: Omit<RoleViewRow, "_count" | "id">): Record<string, unknown> {
  return {
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    requireMfa: row.requireMfa,
  };
}
