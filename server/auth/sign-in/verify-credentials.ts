import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { verifySecondFactor } from "../mfa/verify-second-factor";
import { hashPassword, verifyPassword } from "../passwords";
import { guardAuthAttempt } from "./guard-auth-attempt";

export type VerifyCredentialsOptions = {
  db: Database;
  email: string;
  password: string;
  /** A TOTP or backup code; required when the account has MFA on. */
  code?: string;
  /** Where the attempt came from, for the audit log ("console" sign-in or API "token"). */
  channel: "console" | "token";
  ip: string | null;
  requestId?: string | null;
};

export type VerifiedUser = { userId: string; email: string; sessionVersion: number };

// Unknown emails still cost one argon2 verification, so timing does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
const DUMMY = () => (dummyHash ??= hashPassword("dummy password that never matches"));

/**
 * Email + password (+ second factor when MFA is on). Every outcome is audited; every attempt
 * counts toward the per-account and per-IP limits.
 */
export async function verifyCredentials(options: VerifyCredentialsOptions): Promise<VerifiedUser> {
  const { db, channel, ip, requestId } = options;
  const email = options.email.trim().toLowerCase();
  await guardAuthAttempt({ account: email, ip });

  const user = await db.prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      passwordHash: true,
      disabledAt: true,
      sessionVersion: true,
      mfa: { select: { enabledAt: true } },
    },
  });
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await DUMMY()), options.password);
  const fail = async (
    reason: string,
    error = new AppError("unauthorized", "Invalid email or password."),
  ) => {
    await recordAudit(db, {
      actor: user ? { userId: user.id, via: "session" } : null,
      action: "auth.sign_in.failure",
      resource: { type: "user", id: user?.id },
      summary: { reason, channel, ...(user ? {} : { email }) },
      ip,
      requestId,
    });
    return error;
  };
  if (!user || !passwordOk) throw await fail(user ? "wrong_password" : "unknown_email");
  if (user.disabledAt) throw await fail("disabled");

  let method = "password";
  if (user.mfa?.enabledAt) {
    if (!options.code) {
      throw new AppError("unauthorized", "A verification code is required.", {
        reason: "mfa_required",
      });
    }
    try {
      method += `+${(await verifySecondFactor({ db, userId: user.id, code: options.code })).method}`;
    } catch (error) {
      throw await fail("invalid_mfa_code", error instanceof AppError ? error : undefined);
    }
  }

  await db.prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit(db, {
    actor: { userId: user.id, via: "session" },
    action: "auth.sign_in.success",
    resource: { type: "user", id: user.id },
    summary: { method, channel },
    ip,
    requestId,
  });
  return { userId: user.id, email: user.email, sessionVersion: user.sessionVersion };
}
