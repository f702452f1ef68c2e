import type { Prisma } from "../db/generated/client";

// Row locks Prisma cannot express. Each runs inside the caller's transaction and holds until it ends.

/**
 * Locks a role row against concurrent deletion and new assignments: inserting a user_roles row
 * takes a key-share lock on the role, which waits for this one. Returns false when there is no
 * such role.
 */
export async function lockRoleById(tx: Prisma.TransactionClient, roleId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    select id from roles where id = ${roleId}::uuid for update`;
  return rows.length > 0;
}

/**
 * Serializes every change to who holds a role. Used on "admin" so that two concurrent changes
 * (demote one admin, disable another) cannot both pass the last-enabled-admin check.
 */
export async function lockRoleByName(tx: Prisma.TransactionClient, name: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    select id from roles where name = ${name} for update`;
  return rows.length > 0;
}
