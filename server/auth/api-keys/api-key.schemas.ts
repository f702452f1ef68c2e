import { z } from "zod";

import type { ApiKey } from "../../db/generated/client";
import { PERMISSIONS } from "../principal";

// Services parse their own inputs with these too, so every door (REST, tRPC, GraphQL) gets the
// same limits without repeating them; a ZodError renders as 400 validation_failed.

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe("A label to recognise the key by, e.g. the system that uses it.");

/** Deduplicated and put in PERMISSIONS order, so equal scope sets are stored equal. */
export const apiKeyScopesSchema = z
  .array(z.enum(PERMISSIONS))
  .min(1)
  .transform((scopes) => PERMISSIONS.filter((permission) => scopes.includes(permission)))
  .describe("What the key may do; at most what its owner's roles allow.");

export const apiKeyIdSchema = z.uuid().describe("The key's id (not its prefix).");

export const createApiKeyInputSchema = z.object({
  name: apiKeyNameSchema,
  scopes: apiKeyScopesSchema,
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("Days until the key stops working; LAKE_API_KEY_TTL_DAYS when omitted."),
  rateLimitPerHour: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe(
      "This key's own requests per hour on the data API, replacing the default. Above the default: admins only.",
    ),
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export const rotateApiKeyInputSchema = z.object({
  keyId: apiKeyIdSchema,
  graceHours: z
    .number()
    .min(0)
    .max(24 * 90)
    .optional()
    .describe(
      "How long the old key keeps working; LAKE_API_KEY_ROTATION_GRACE_HOURS when omitted.",
    ),
});
export type RotateApiKeyInput = z.input<typeof rotateApiKeyInputSchema>;

export const revokeApiKeyInputSchema = z.object({ keyId: apiKeyIdSchema });
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInputSchema>;

export const listApiKeysInputSchema = z.object({
  scope: z
    .enum(["mine", "all"])
    .default("mine")
    .describe('"all" (every user\'s keys, with owners) is for admins only.'),
});
export type ListApiKeysInput = z.input<typeof listApiKeysInputSchema>;

export const API_KEY_STATUSES = ["active", "expired", "revoked", "rotated"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** What leaves the server about a key: never its hash nor the key, which only creation returns. */
export const apiKeyViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe("`dpl_<id>`: the public start of the key, to recognise it by."),
  scopes: z.array(z.enum(PERMISSIONS)),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  graceUntil: z
    .date()
    .nullable()
    .describe("Set once the key is rotated: it keeps working until then."),
  rotatedToId: z.uuid().nullable().describe("The key that replaced this one."),
  lastUsedAt: z.date().nullable().describe("Updated at most once a minute."),
  lastUsedIp: z.string().nullable(),
  rateLimitPerHour: z
    .number()
    .int()
    .nullable()
    .describe("Requests per hour for this key; null: the route's default."),
  status: z
    .enum(API_KEY_STATUSES)
    .describe(
      'Whether the key works now; "rotated" keys work until graceUntil. ' +
        "When several apply: revoked, then rotated, then expired.",
    ),
  owner: z.object({ id: z.uuid(), email: z.string() }).optional(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

export type ApiKeyRow = ApiKey & { user?: { id: string; email: string } };

/**
 * The status names the decisive reason rather than the first to happen: a revoked key stays
 * "revoked" after its expiry, a rotated one "rotated" after its grace (graceUntil tells when).
 */
export function apiKeyStatus(row: ApiKey, now: Date): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.graceUntil) return "rotated";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

/** Builds the view field by field, so a column added later (or the hash) never leaks by default. */
export function toApiKeyView(row: ApiKeyRow, now: Date): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    graceUntil: row.graceUntil,
    rotatedToId: row.rotatedToId,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    rateLimitPerHour: row.rateLimitPerHour,
    status: apiKeyStatus(row, now),
    ...(row.user ? { owner: { id: row.user.id, email: row.user.email } } : {}),
  };
}
