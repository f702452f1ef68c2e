import { type Database } from "../../db/client";
import { env } from "../../env";
import { recordAudit } from "../../audit/record-audit";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { generateApiKey } from "./api-key-format";
import { findManageableApiKey } from "./api-key-policy";
import { apiKeyStatus, rotateApiKeyInputSchema, toApiKeyView } from "./api-key.schemas";
import { type CreatedApiKey } from "./create-api-key";
import { invalidateApiKeyMemo } from "./authenticate-api-key";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type RotateApiKeyOptions = {
  db: Database;
  /** The key's owner or an admin; for anyone else the key does not exist (not_found). */
  principal: Principal;
  keyId: string;
  /** Hours the old key keeps working; unset: LAKE_API_KEY_ROTATION_GRACE_HOURS; 0 ends it now. */
  graceHours?: number;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Replaces an active key with a new one of the same owner, name, scopes and rate limit, and a fresh
 * default expiry. The old key keeps working until its grace ends, so its users can switch over
 * without downtime. Scopes are copied as they are: authentication narrows them to the owner's
 * roles anyway.
 */
export async function rotateApiKey(options: RotateApiKeyOptions): Promise<CreatedApiKey> {
  const { db, principal } = options;
  const input = rotateApiKeyInputSchema.parse({
    keyId: options.keyId,
    graceHours: options.graceHours,
  });
  const now = new Date();
  const graceHours = input.graceHours ?? env().LAKE_API_KEY_ROTATION_GRACE_HOURS;
  const graceUntil = new Date(now.getTime() + graceHours * HOUR_MS);
  const expiresAt = new Date(now.getTime() + env().LAKE_API_KEY_TTL_DAYS * DAY_MS);
  const { key, prefix, hash } = generateApiKey();

  const replacement = await db.prisma.$transaction(async (tx) => {
    const old = await findManageableApiKey(tx, principal, input.keyId);
    const status = apiKeyStatus(old, now);
    if (status !== "active") {
      const message = `Only an active API key can be rotated; this one is ${status}.`;
      throw new AppError("conflict", message, { status });
    }
    const created = await tx.apiKey.create({
      data: {
        userId: old.userId,
        name: old.name,
        scopes: old.scopes,
        rateLimitPerHour: old.rateLimitPerHour,
        prefix,
        hash,
        expiresAt,
      },
    });
    // Conditional, so of two concurrent rotations only one wins (the other waits on the row lock,
    // then matches nothing and rolls back) and a key never has two live replacements.
    const marked = await tx.apiKey.updateMany({
      where: { id: old.id, revokedAt: null, graceUntil: null, rotatedToId: null },
      data: { graceUntil, rotatedToId: created.id },
    });
    if (marked.count === 0) {
      throw new AppError(
        "conflict",
        "The API key was changed meanwhile; it can no longer be rotated.",
      );
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "api_key.rotate",
        resource: { type: "api_key", id: old.id },
        summary: {
          ownerId: old.userId,
          rotatedToId: created.id,
          graceUntil: graceUntil.toISOString(),
          expiresAt: expiresAt.toISOString(),
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return created;
  });
  await invalidateApiKeyMemo();
  return { key, apiKey: toApiKeyView(replacement, now) };
}
