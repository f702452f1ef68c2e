import { type Database } from "../../db/client";
import { recordAudit } from "../../audit/record-audit";
import { type Principal } from "../principal";
import { findManageableApiKey } from "./api-key-policy";
import { revokeApiKeyInputSchema, toApiKeyView, type ApiKeyView } from "./api-key.schemas";
import { invalidateApiKeyMemo } from "./authenticate-api-key";

export type RevokeApiKeyOptions = {
  db: Database;
  /** The key's owner or an admin; for anyone else the key does not exist (not_found). */
  principal: Principal;
  keyId: string;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Stops a key at once, including a rotated key still in its grace period. Revoking a revoked key
 * is a no-op that returns it unchanged (no second audit entry): the caller's intent already holds,
 * and a retried request must not fail.
 */
export async function revokeApiKey(options: RevokeApiKeyOptions): Promise<ApiKeyView> {
  const { db, principal } = options;
  const input = revokeApiKeyInputSchema.parse({ keyId: options.keyId });
  const now = new Date();

  const row = await db.prisma.$transaction(async (tx) => {
    const key = await findManageableApiKey(tx, principal, input.keyId);
    if (key.revokedAt) return key;
    // Conditional, so that of two concurrent revocations only one is audited.
    const revoked = await tx.apiKey.updateMany({
      where: { id: key.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (revoked.count === 1) {
      await recordAudit(
        { prisma: tx },
        {
          actor: principal,
          action: "api_key.revoke",
          resource: { type: "api_key", id: key.id },
          summary: { ownerId: key.userId, name: key.name, status: "revoked" },
          ip: options.ip,
          requestId: options.requestId,
        },
      );
    }
    return tx.apiKey.findUniqueOrThrow({ where: { id: key.id } });
  });
  await invalidateApiKeyMemo();
  return toApiKeyView(row, now);
}
