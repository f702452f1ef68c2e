import { type Prisma } from "../../db/generated/client";
import { generateBackupCodes, hashBackupCode } from "./backup-codes";

/**
 * Swaps a user's backup codes for a fresh set inside the caller's transaction, so the old set
 * stops working in the same commit that makes the new one valid. Returns the new codes in clear:
 * the caller shows them once.
 */
export async function replaceBackupCodes(options: {
  tx: Prisma.TransactionClient;
  userId: string;
}): Promise<{ codes: string[]; previousUnused: number }> {
  const { tx, userId } = options;
  const previousUnused = await tx.mfaBackupCode.count({ where: { userId, usedAt: null } });
  await tx.mfaBackupCode.deleteMany({ where: { userId } });
  const codes = generateBackupCodes();
  await tx.mfaBackupCode.createMany({
    // Generated codes are canonical but for the dash, which normalization drops.
    data: codes.map((code) => ({ userId, codeHash: hashBackupCode(code.replace("-", "")) })),
  });
  return { codes, previousUnused };
}
