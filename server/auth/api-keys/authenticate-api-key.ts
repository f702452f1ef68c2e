import { localMemo } from "../../cache/local-memo";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { apiKeyMatchesHash, parseApiKey } from "./api-key-format";
import { isKeyLive, permissionsOfRoles } from "./api-key-policy";

// Recording every use would turn each read into a write on a hot key; a minute is precise enough
// to tell a key that is still in use from one that can be revoked.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Keys by prefix, so a request with a known key costs no statement. Every change to what the row
 * holds (revoke, rotate, the owner's roles or status, a role's permissions) calls
 * `invalidateApiKeyMemo()`; the TTL bounds a change whose message another process missed.
 */
const keys = () =>
  localMemo<NonNullable<Awaited<ReturnType<typeof loadKey>>>>({ name: "api-keys", ttlMs: 10_000 });

/** After any change to keys, their owners' roles or status, or roles' permissions. */
export const invalidateApiKeyMemo = () => keys().invalidate();

// One statement (a join), not one per relation.
const loadKey = (db: Database, prefix: string) =>
  db.prisma.apiKey.findUnique({
    relationLoadStrategy: "join",
    where: { prefix },
    include: {
      user: {
        select: {
          id: true,
          email: true,
          disabledAt: true,
          roles: { select: { role: { select: { name: true, permissions: true } } } },
        },
      },
    },
  });

export type AuthenticateApiKeyOptions = {
  db: Database;
  /** The presented key, e.g. from `Authorization: Bearer dpl_…`. */
  key: string;
  /** The client's address, kept as the key's lastUsedIp. */
  ip?: string | null;
  /** The clock; tests pass one. */
  now?: Date;
};

/**
 * The principal a key stands for. Its permissions are the key's scopes narrowed to its owner's
 * roles as they are now, so taking a permission from a role takes it from the role's keys too.
 *
 * Every failure (malformed, unknown, wrong secret, revoked, expired, rotated past its grace,
 * owner disabled) throws the same error, so a caller cannot learn which keys exist or once worked.
 */
export async function authenticateApiKey(options: AuthenticateApiKeyOptions): Promise<Principal> {
  const { db, key } = options;
  const now = options.now ?? new Date();
  const invalid = () => new AppError("unauthorized", "Invalid API key.");

  const parsed = parseApiKey(key);
  if (!parsed) throw invalid();
  // An unknown prefix answers sooner than a wrong secret; that only tells whether a prefix exists,
  // and prefixes are not secret (they are shown in lists and logs).
  const row = await keys().get(db.prisma, parsed.prefix, () => loadKey(db, parsed.prefix));
  if (!row || !apiKeyMatchesHash(key, row.hash)) throw invalid();
  if (!isKeyLive(row, now) || row.user.disabledAt) throw invalid();

  const rolePermissions = permissionsOfRoles(row.user.roles);
  const permissions = new Set(row.scopes.filter((scope) => rolePermissions.has(scope)));

  // Checked here first so the common case (used within the last minute) costs no statement; the
  // condition repeated in SQL keeps two concurrent first uses from both writing.
  const stale =
    !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
  if (stale) {
    // The memo's copy too, or every request after the first minute would try the write again.
    row.lastUsedAt = now;
    await db.prisma.apiKey.updateMany({
      where: {
        id: row.id,
        OR: [
          { lastUsedAt: null },
          { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } },
        ],
      },
      data: { lastUsedAt: now, lastUsedIp: options.ip ?? null },
    });
  }

  return {
    userId: row.user.id,
    email: row.user.email,
    // Sorted like loadPrincipal's, so a user's principal looks the same through every door.
    roles: row.user.roles.map(({ role }) => role.name).sort(),
    permissions,
    via: "api_key",
    apiKeyId: row.id,
    ...(row.rateLimitPerHour === null ? {} : { apiKeyRateLimitPerHour: row.rateLimitPerHour }),
  };
}
