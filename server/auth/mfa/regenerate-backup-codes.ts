import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { type Principal } from "../principal";
import { assertCanManageOwnMfa } from "./mfa-policy";
import { replaceBackupCodes } from "./replace-backup-codes";
import { verifySecondFactor } from "./verify-second-factor";

export type RegenerateBackupCodesOptions = {
  db: Database;
  principal: Principal;
  /**
   * A current TOTP code or an unused backup code: a session alone (an unlocked laptop) must not
   * be enough to mint new recovery codes.
   */
  code: string;
  ip?: string | null;
  requestId?: string | null;
};

/** Replaces all backup codes with a new set of ten; the old ones, used or not, stop working. */
export async function regenerateBackupCodes(
  options: RegenerateBackupCodesOptions,
): Promise<{ backupCodes: string[] }> {
  const { db, principal } = options;
  assertCanManageOwnMfa(principal);
  const userId = principal.userId;
  const { method } = await verifySecondFactor({ db, userId, code: options.code });

  return db.prisma.$transaction(async (tx) => {
    const { codes, previousUnused } = await replaceBackupCodes({ tx, userId });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "mfa.backup_codes.regenerate",
        resource: { type: "user", id: userId },
        summary: { verifiedWith: method, backupCodes: codes.length, previousUnused },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { backupCodes: codes };
  });
}
