import { type Database } from "../../db/client";
import { env } from "../../env";
import { recordAudit } from "../../audit/record-audit";
import { AppError } from "../../errors/app-error";
import { isAdmin, type Permission, type Principal } from "../principal";
import { generateApiKey } from "./api-key-format";
import { permissionsOfRoles } from "./api-key-policy";
import { createApiKeyInputSchema, toApiKeyView, type ApiKeyView } from "./api-key.schemas";

const DAY_MS = 86_400_000;

export type CreateApiKeyOptions = {
  db: Database;
  /** Who asks, and the key's owner: keys are only ever created for oneself. */
  principal: Principal;
  name: string;
  /** At most what the owner's roles allow now, and what the principal itself holds. */
  scopes: readonly Permission[];
  /** Unset: LAKE_API_KEY_TTL_DAYS. Every key expires. */
  expiresInDays?: number;
  /** Unset: the route's limit. Raising it above LAKE_RATE_LIMIT_DATA_PER_HOUR is for admins. */
  rateLimitPerHour?: number;
  ip?: string | null;
  requestId?: string | null;
};

export type CreatedApiKey = {
  /** The whole key. Shown once: only its hash is stored, so it cannot be shown again. */
  key: string;
  apiKey: ApiKeyView;
};

/** Creates an API key for the principal and records it in the audit log, in one transaction. */
export async function createApiKey(options: CreateApiKeyOptions): Promise<CreatedApiKey> {
  const { db, principal } = options;
  const input = createApiKeyInputSchema.parse({
    name: options.name,
    scopes: [...options.scopes],
    expiresInDays: options.expiresInDays,
    rateLimitPerHour: options.rateLimitPerHour,
  });
  if (
    input.rateLimitPerHour !== undefined &&
    input.rateLimitPerHour > env().LAKE_RATE_LIMIT_DATA_PER_HOUR &&
    !isAdmin(principal)
  ) {
    throw new AppError(
      "forbidden",
      "Only administrators can give a key a higher rate limit than the default.",
      {
        default_per_hour: env().LAKE_RATE_LIMIT_DATA_PER_HOUR,
      },
    );
  }

  // Roles are read fresh rather than trusted from the principal, which may predate a role change.
  const owner = await db.prisma.user.findUnique({
    where: { id: principal.userId },
    select: { disabledAt: true, roles: { select: { role: { select: { permissions: true } } } } },
  });
  if (!owner || owner.disabledAt) {
    throw new AppError("unauthorized", "The account is disabled or no longer exists.");
  }
  // Also bounded by the principal's own permissions: a narrow API key cannot mint a wider one.
  const ownerPermissions = permissionsOfRoles(owner.roles);
  const notAllowed = input.scopes.filter(
    (scope) => !ownerPermissions.has(scope) || !principal.permissions.has(scope),
  );
  if (notAllowed.length > 0) {
    throw new AppError("forbidden", "An API key cannot have more permissions than its owner.", {
      scopes_not_allowed: notAllowed,
    });
  }

  const now = new Date();
  const expiresAt = new Date(
    now.getTime() + (input.expiresInDays ?? env().LAKE_API_KEY_TTL_DAYS) * DAY_MS,
  );
  const { key, prefix, hash } = generateApiKey();
  const row = await db.prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        userId: principal.userId,
        name: input.name,
        prefix,
        hash,
        scopes: input.scopes,
        expiresAt,
        rateLimitPerHour: input.rateLimitPerHour ?? null,
      },
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "api_key.create",
        resource: { type: "api_key", id: created.id },
        summary: { name: created.name, scopes: created.scopes, expiresAt: expiresAt.toISOString() },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return created;
  });
  return { key, apiKey: toApiKeyView(row, now) };
}
