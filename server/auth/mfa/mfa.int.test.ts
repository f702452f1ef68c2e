import { randomUUID } from "node:crypto";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { databaseBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type Principal } from "../principal";
import { normalizeBackupCode } from "./backup-codes";
import { confirmTotpEnrollment } from "./confirm-totp-enrollment";
import { disableMfa } from "./disable-mfa";
import { getMfaStatus } from "./get-mfa-status";
import { regenerateBackupCodes } from "./regenerate-backup-codes";
import { resetMfa } from "./reset-mfa";
import { startTotpEnrollment } from "./start-totp-enrollment";
import { currentCode } from "./totp";
import { verifySecondFactor } from "./verify-second-factor";
import { rejection } from "../../testing/rejection";

const INVALID_MFA_CODE = { code: "unauthorized", details: { reason: "invalid_mfa_code" } };

describe.each(databaseBackends)("MFA on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);

  // Only Date is faked (timers stay real for the pools): each test starts in the middle of a
  // 30-second step and moves to the next one on purpose, so no code expires or repeats by chance.
  let step = 0;
  const atStep = (n: number) => {
    step = n;
    vi.setSystemTime((n * 30 + 15) * 1000);
  };
  const nextStep = () => atStep(step + 1);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    atStep(Math.floor(Date.now() / 30_000));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function createUser(roles: string[] = ["reader"]): Promise<Principal> {
    const user = await db().prisma.user.create({
      data: { email: `${randomUUID()}@lake.test`, passwordHash: "x" },
    });
    return {
      userId: user.id,
      email: user.email,
      roles,
      permissions: new Set(roles.includes("admin") ? ["read", "write", "delete"] : ["read"]),
      via: "session",
    };
  }

  /** Enrolls and confirms with the current step's code (which is thereby used up). */
  async function enroll(principal: Principal) {
    const { secret } = await startTotpEnrollment({ db: db(), principal });
    const { backupCodes } = await confirmTotpEnrollment({
      db: db(),
      principal,
      code: await currentCode(secret),
    });
    return { secret, backupCodes };
  }

  /** A 6-digit code valid in none of the steps around now. */
  async function wrongCode(secret: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const valid = await Promise.all([-30, 0, 30].map((s) => currentCode(secret, now + s)));
    let code = 0;
    while (valid.includes(String(code).padStart(6, "0"))) code++;
    return String(code).padStart(6, "0");
  }

  const auditRows = (userId: string) =>
    db().prisma.auditLog.findMany({ where: { resourceId: userId }, orderBy: { id: "asc" } });

  it("enrolls, confirms and then verifies a TOTP code", async () => {
    const user = await createUser();
    const started = await startTotpEnrollment({ db: db(), principal: user, requestId: "req-1" });
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(started.otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.searchParams.get("issuer")).toBe("Datapunk Lake");
    expect(decodeURIComponent(url.pathname)).toBe(`/Datapunk Lake:${user.email}`);
    expect(started.qrCodeDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(await getMfaStatus({ db: db(), principal: user })).toEqual({
      enabled: false,
      enabledAt: null,
      pendingEnrollment: true,
      backupCodesRemaining: 0,
    });

    const { backupCodes } = await confirmTotpEnrollment({
      db: db(),
      principal: user,
      code: await currentCode(started.secret),
    });
    expect(backupCodes).toHaveLength(10);
    const status = await getMfaStatus({ db: db(), principal: user });
    expect(status).toMatchObject({ enabled: true, pendingEnrollment: false });
    expect(status.enabledAt).toBeInstanceOf(Date);
    expect(status.backupCodesRemaining).toBe(10);

    nextStep();
    expect(
      await verifySecondFactor({
        db: db(),
        userId: user.userId,
        code: await currentCode(started.secret),
      }),
    ).toEqual({ method: "totp" });
    const stored = await db().prisma.mfaSecret.findUniqueOrThrow({
      where: { userId: user.userId },
    });
    expect(stored.lastUsedStep).toBe(BigInt(step));
  });

  it("accepts each TOTP step once: replays and older steps fail, one of two racing uses wins", async () => {
    const user = await createUser();
    const { secret } = await enroll(user);
    const confirmingCode = await currentCode(secret);
    // The code that confirmed the enrollment is spent too.
    expect(
      await rejection(verifySecondFactor({ db: db(), userId: user.userId, code: confirmingCode })),
    ).toMatchObject(INVALID_MFA_CODE);

    nextStep();
    const code = await currentCode(secret);
    expect(await verifySecondFactor({ db: db(), userId: user.userId, code })).toEqual({
      method: "totp",
    });
    const replay = await rejection(verifySecondFactor({ db: db(), userId: user.userId, code }));
    expect(replay).toMatchObject(INVALID_MFA_CODE);
    expect(replay.message).toBe("Invalid verification code.");
    // Still inside the ±1 tolerance, but an earlier step than the last one accepted.
    expect(
      await rejection(verifySecondFactor({ db: db(), userId: user.userId, code: confirmingCode })),
    ).toMatchObject(INVALID_MFA_CODE);

    nextStep();
    const raced = await currentCode(secret);
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => verifySecondFactor({ db: db(), userId: user.userId, code: raced })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject(INVALID_MFA_CODE);
    }
  });

  it("leaves everything as it was when the confirmation code is wrong", async () => {
    const user = await createUser();
    const { secret } = await startTotpEnrollment({ db: db(), principal: user });
    const before = await db().prisma.mfaSecret.findUniqueOrThrow({
      where: { userId: user.userId },
    });

    for (const code of [await wrongCode(secret), "abc", ""]) {
      const error = await rejection(confirmTotpEnrollment({ db: db(), principal: user, code }));
      expect(error).toMatchObject({ code: "bad_request", details: { reason: "invalid_code" } });
    }

    expect(
      await db().prisma.mfaSecret.findUniqueOrThrow({ where: { userId: user.userId } }),
    ).toEqual(before);
    expect(await db().prisma.mfaBackupCode.count({ where: { userId: user.userId } })).toBe(0);
    expect((await auditRows(user.userId)).map((row) => row.action)).toEqual([
      "mfa.enrollment.start",
    ]);
    // The right code still works afterwards.
    await confirmTotpEnrollment({ db: db(), principal: user, code: await currentCode(secret) });
  });

  it("replaces a pending enrollment but refuses to start over an enabled one", async () => {
    const user = await createUser();
    const first = await startTotpEnrollment({ db: db(), principal: user });
    const second = await startTotpEnrollment({ db: db(), principal: user });
    expect(second.secret).not.toBe(first.secret);
    // The abandoned secret's code no longer confirms anything.
    expect(
      await rejection(
        confirmTotpEnrollment({ db: db(), principal: user, code: await currentCode(first.secret) }),
      ),
    ).toMatchObject({ code: "bad_request" });
    await confirmTotpEnrollment({
      db: db(),
      principal: user,
      code: await currentCode(second.secret),
    });

    expect(await rejection(startTotpEnrollment({ db: db(), principal: user }))).toMatchObject({
      code: "conflict",
      details: { reason: "mfa_already_enabled" },
    });
    expect(
      await rejection(confirmTotpEnrollment({ db: db(), principal: user, code: "123456" })),
    ).toMatchObject({ code: "conflict", details: { reason: "mfa_already_enabled" } });
    const other = await createUser();
    expect(
      await rejection(confirmTotpEnrollment({ db: db(), principal: other, code: "123456" })),
    ).toMatchObject({ code: "conflict", details: { reason: "no_pending_enrollment" } });
  });

  it("accepts a backup code once, typed in any case with or without the dash", async () => {
    const user = await createUser();
    const { backupCodes } = await enroll(user);
    const [first, second] = backupCodes as [string, string];

    expect(await verifySecondFactor({ db: db(), userId: user.userId, code: first })).toEqual({
      method: "backup_code",
    });
    expect(
      await rejection(verifySecondFactor({ db: db(), userId: user.userId, code: first })),
    ).toMatchObject(INVALID_MFA_CODE);

    const typed = second.toUpperCase().replace("-", "");
    const results = await Promise.allSettled(
      [typed, second].map((code) => verifySecondFactor({ db: db(), userId: user.userId, code })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await getMfaStatus({ db: db(), principal: user })).backupCodesRemaining).toBe(8);

    // Another user's code is no good here.
    const other = await createUser();
    const { backupCodes: othersCodes } = await enroll(other);
    expect(
      await rejection(verifySecondFactor({ db: db(), userId: user.userId, code: othersCodes[0]! })),
    ).toMatchObject(INVALID_MFA_CODE);
  });

  it("regenerates backup codes only with a valid code, invalidating the old set", async () => {
    const user = await createUser();
    const { secret, backupCodes: old } = await enroll(user);
    nextStep();

    expect(
      await rejection(
        regenerateBackupCodes({ db: db(), principal: user, code: await wrongCode(secret) }),
      ),
    ).toMatchObject(INVALID_MFA_CODE);
    expect((await getMfaStatus({ db: db(), principal: user })).backupCodesRemaining).toBe(10);

    const { backupCodes: fresh } = await regenerateBackupCodes({
      db: db(),
      principal: user,
      code: await currentCode(secret),
    });
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    for (const code of old.slice(0, 3)) {
      expect(
        await rejection(verifySecondFactor({ db: db(), userId: user.userId, code })),
      ).toMatchObject(INVALID_MFA_CODE);
    }
    expect(await verifySecondFactor({ db: db(), userId: user.userId, code: fresh[0]! })).toEqual({
      method: "backup_code",
    });

    // A backup code is a valid second factor for regenerating too (and is spent by it).
    const { backupCodes: third } = await regenerateBackupCodes({
      db: db(),
      principal: user,
      code: fresh[1]!,
    });
    expect((await getMfaStatus({ db: db(), principal: user })).backupCodesRemaining).toBe(10);
    expect(third.filter((code) => fresh.includes(code))).toEqual([]);

    const regenerations = (await auditRows(user.userId)).filter(
      (row) => row.action === "mfa.backup_codes.regenerate",
    );
    expect(regenerations.map((row) => row.summary)).toEqual([
      { verifiedWith: "totp", backupCodes: 10, previousUnused: 10 },
      { verifiedWith: "backup_code", backupCodes: 10, previousUnused: 8 },
    ]);
  });

  it("disables MFA only with a valid code", async () => {
    const user = await createUser();
    const { secret, backupCodes } = await enroll(user);
    nextStep();

    expect(
      await rejection(disableMfa({ db: db(), principal: user, code: await wrongCode(secret) })),
    ).toMatchObject(INVALID_MFA_CODE);
    expect((await getMfaStatus({ db: db(), principal: user })).enabled).toBe(true);

    await disableMfa({ db: db(), principal: user, code: await currentCode(secret) });
    expect(await getMfaStatus({ db: db(), principal: user })).toEqual({
      enabled: false,
      enabledAt: null,
      pendingEnrollment: false,
      backupCodesRemaining: 0,
    });
    expect(await db().prisma.mfaSecret.findUnique({ where: { userId: user.userId } })).toBeNull();
    expect(await db().prisma.mfaBackupCode.count({ where: { userId: user.userId } })).toBe(0);
    expect(
      await rejection(verifySecondFactor({ db: db(), userId: user.userId, code: backupCodes[0]! })),
    ).toMatchObject(INVALID_MFA_CODE);
    expect(
      await rejection(disableMfa({ db: db(), principal: user, code: backupCodes[1]! })),
    ).toMatchObject({ code: "conflict", details: { reason: "mfa_not_enabled" } });

    // A backup code is enough to disable: the phone may be gone.
    const again = await enroll(user);
    await disableMfa({ db: db(), principal: user, code: again.backupCodes[0]! });
    expect((await getMfaStatus({ db: db(), principal: user })).enabled).toBe(false);
  });

  it("lets an administrator reset another user's MFA, and no one else", async () => {
    const user = await createUser();
    const admin = await createUser(["admin"]);
    await enroll(user);

    expect(
      await rejection(resetMfa({ db: db(), principal: await createUser(), userId: user.userId })),
    ).toMatchObject({ code: "forbidden" });
    expect(
      await rejection(resetMfa({ db: db(), principal: admin, userId: randomUUID() })),
    ).toMatchObject({ code: "not_found" });
    expect(
      await rejection(
        getMfaStatus({ db: db(), principal: await createUser(), userId: user.userId }),
      ),
    ).toMatchObject({ code: "forbidden" });

    expect(
      await resetMfa({ db: db(), principal: admin, userId: user.userId, ip: "203.0.113.7" }),
    ).toEqual({ wasEnabled: true });
    expect(await getMfaStatus({ db: db(), principal: admin, userId: user.userId })).toMatchObject({
      enabled: false,
      pendingEnrollment: false,
      backupCodesRemaining: 0,
    });
    expect(await db().prisma.mfaBackupCode.count({ where: { userId: user.userId } })).toBe(0);

    const reset = (await auditRows(user.userId)).find((row) => row.action === "mfa.reset");
    expect(reset).toMatchObject({
      actorId: admin.userId,
      actorType: "session",
      resourceType: "user",
      resourceId: user.userId,
      ip: "203.0.113.7",
      summary: { wasEnabled: true, pendingEnrollment: false, backupCodesRemoved: 10 },
    });
    // The user can enroll again.
    await enroll(user);
  });

  it("refuses API keys, and users without MFA fail verification like a wrong code", async () => {
    const user = await createUser();
    const viaKey: Principal = { ...user, via: "api_key", apiKeyId: randomUUID() };
    for (const call of [
      startTotpEnrollment({ db: db(), principal: viaKey }),
      confirmTotpEnrollment({ db: db(), principal: viaKey, code: "123456" }),
      regenerateBackupCodes({ db: db(), principal: viaKey, code: "123456" }),
      disableMfa({ db: db(), principal: viaKey, code: "123456" }),
    ]) {
      expect(await rejection(call)).toMatchObject({ code: "forbidden" });
    }
    for (const code of ["123456", "abcd-efgh", "", "x".repeat(10_000)]) {
      expect(
        await rejection(verifySecondFactor({ db: db(), userId: user.userId, code })),
      ).toMatchObject(INVALID_MFA_CODE);
    }
    // A pending enrollment is not MFA yet either.
    const { secret } = await startTotpEnrollment({ db: db(), principal: user });
    expect(
      await rejection(
        verifySecondFactor({ db: db(), userId: user.userId, code: await currentCode(secret) }),
      ),
    ).toMatchObject(INVALID_MFA_CODE);
  });

  it("never stores the secret or a backup code in clear, and audits without them", async () => {
    const user = await createUser();
    const admin = await createUser(["admin"]);
    const { secret, backupCodes } = await enroll(user);

    const stored = await db().prisma.mfaSecret.findUniqueOrThrow({
      where: { userId: user.userId },
    });
    expect(stored.secretEncrypted).toMatch(/^v1\./);
    expect(stored.secretEncrypted).not.toContain(secret);
    expect(stored.secretEncrypted.toUpperCase()).not.toContain(secret.slice(0, 8));
    const hashes = await db().prisma.mfaBackupCode.findMany({ where: { userId: user.userId } });
    expect(hashes).toHaveLength(10);
    for (const { codeHash } of hashes) {
      expect(codeHash).toMatch(/^[0-9a-f]{64}$/);
      for (const code of backupCodes) {
        expect(codeHash).not.toBe(code);
        expect(codeHash).not.toContain(normalizeBackupCode(code));
      }
    }

    nextStep();
    const { backupCodes: fresh } = await regenerateBackupCodes({
      db: db(),
      principal: user,
      code: await currentCode(secret),
    });
    await disableMfa({ db: db(), principal: user, code: fresh[0]! });
    await enroll(user);
    await resetMfa({ db: db(), principal: admin, userId: user.userId });

    const rows = await auditRows(user.userId);
    expect(rows.map((row) => row.action)).toEqual([
      "mfa.enrollment.start",
      "mfa.enable",
      "mfa.backup_codes.regenerate",
      "mfa.disable",
      "mfa.enrollment.start",
      "mfa.enable",
      "mfa.reset",
    ]);
    expect(rows.slice(0, 4).every((row) => row.actorId === user.userId)).toBe(true);
    const logged = JSON.stringify(rows.map((row) => row.summary));
    for (const leaked of [secret, ...backupCodes, ...fresh]) expect(logged).not.toContain(leaked);
    expect(rows[1]!.summary).toEqual({ method: "totp", backupCodes: 10 });
    expect(rows[3]!.summary).toEqual({ verifiedWith: "backup_code" });
  });

  it("refuses a stored secret that was altered or copied from another user", async () => {
    const victim = await createUser();
    const attacker = await createUser();
    await enroll(victim);
    const { secret } = await enroll(attacker);
    const attackers = await db().prisma.mfaSecret.findUniqueOrThrow({
      where: { userId: attacker.userId },
    });
    // Someone with write access to the table plants a secret they know in the victim's row.
    await db().prisma.mfaSecret.update({
      where: { userId: victim.userId },
      data: { secretEncrypted: attackers.secretEncrypted, lastUsedStep: null },
    });
    nextStep();
    expect(
      await rejection(
        verifySecondFactor({ db: db(), userId: victim.userId, code: await currentCode(secret) }),
      ),
    ).toMatchObject({ code: "internal_error" });
  });
});
