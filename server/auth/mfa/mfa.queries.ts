import { type Prisma } from "../../db/generated/client";

/**
 * The MFA writes that must decide and change in one statement, so that two requests racing with
 * the same code cannot both win. Each takes the client or a transaction's client.
 */
type Db = { prisma: Prisma.TransactionClient };

/**
 * Stores a pending (unconfirmed) TOTP secret, replacing an earlier pending one. Returns false,
 * writing nothing, when the user's MFA is already enabled.
 */
export async function savePendingTotpSecret(
  db: Db,
  options: { userId: string; secretEncrypted: string },
): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<{ user_id: string }[]>`
    insert into mfa_secrets (user_id, secret_encrypted)
    values (${options.userId}::uuid, ${options.secretEncrypted})
    on conflict (user_id) do update
       set secret_encrypted = excluded.secret_encrypted, last_used_step = null, created_at = now()
     where mfa_secrets.enabled_at is null
    returning user_id`;
  return rows.length === 1;
}

/**
 * Records `step` as the last accepted TOTP step of an enabled secret. False when that step (or a
 * later one) was accepted already: the code is a replay, or a concurrent request used it first.
 */
export async function claimTotpStep(
  db: Db,
  options: { userId: string; step: number },
): Promise<boolean> {
  const step = BigInt(options.step);
  const updated = await db.prisma.$executeRaw`
    update mfa_secrets
       set last_used_step = ${step}
     where user_id = ${options.userId}::uuid
       and enabled_at is not null
       and (last_used_step is null or last_used_step < ${step})`;
  return updated === 1;
}

/**
 * Marks an unused backup code as used. Only while MFA is enabled: codes left behind by a race with
 * disabling must not work as a second factor on their own.
 */
export async function consumeBackupCode(
  db: Db,
  options: { userId: string; codeHash: string },
): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`
    update mfa_backup_codes
       set used_at = now()
     where code_hash = ${options.codeHash}
       and user_id = ${options.userId}::uuid
       and used_at is null
       and exists (
         select 1 from mfa_secrets
          where mfa_secrets.user_id = ${options.userId}::uuid and enabled_at is not null)
    returning id`;
  return rows.length > 0;
}
