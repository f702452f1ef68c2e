import QRCode from "qrcode";

import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { savePendingTotpSecret } from "./mfa.queries";
import { assertCanManageOwnMfa } from "./mfa-policy";
import { sealTotpSecret } from "./stored-totp-secret";
import { generateTotpSecret, totpUri } from "./totp";

export type StartTotpEnrollmentOptions = {
  db: Database;
  /** The user enrolling; their email becomes the account name in the authenticator app. */
  principal: Principal;
  ip?: string | null;
  requestId?: string | null;
};

export type TotpEnrollment = {
  /** Base32, for typing into an app by hand. Returned this once; stored only encrypted. */
  secret: string;
  otpauthUrl: string;
  /** A PNG data URL of `otpauthUrl`, rendered here so the secret never goes to a QR service. */
  qrCodeDataUrl: string;
};

/**
 * Begins TOTP enrollment: a new secret, stored encrypted and pending until
 * `confirmTotpEnrollment` sees a code from it. Starting again replaces a pending secret (the user
 * lost the QR code); it never replaces an enabled one — that takes `disableMfa` first.
 */
export async function startTotpEnrollment(
  options: StartTotpEnrollmentOptions,
): Promise<TotpEnrollment> {
  const { db, principal } = options;
  assertCanManageOwnMfa(principal);
  const userId = principal.userId;
  const secret = generateTotpSecret();
  const secretEncrypted = sealTotpSecret({ userId, secret });

  await db.prisma.$transaction(async (tx) => {
    if (!(await savePendingTotpSecret({ prisma: tx }, { userId, secretEncrypted }))) {
      throw new AppError("conflict", "Two-factor authentication is already enabled.", {
        reason: "mfa_already_enabled",
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "mfa.enrollment.start",
        resource: { type: "user", id: userId },
        summary: { method: "totp" },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });

  const otpauthUrl = totpUri({ secret, email: principal.email });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: "M" });
  return { secret, otpauthUrl, qrCodeDataUrl };
}
