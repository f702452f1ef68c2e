import { z } from "zod";

import type { AuditLog } from "../db/generated/client";

// listAudit parses its own input with these, so every door gets the same limits; a failure
// surfaces as AppError("validation_failed") with zod's issues as details.

const MAX_BIGINT = 2n ** 63n - 1n;

/**
 * Opaque to clients. It is the id of the last entry of the previous page: ids only grow, so a
 * page never repeats or skips an entry even while new ones are written.
 */
export const auditCursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, "Not a cursor returned by this list.")
  // zod runs this even when the regex failed, hence the second test before BigInt().
  .refine(
    (cursor) => /^[0-9]+$/.test(cursor) && BigInt(cursor) <= MAX_BIGINT,
    "Not a cursor returned by this list.",
  )
  .describe("nextCursor from the previous page.");

/**
 * A time the database can compare with: JavaScript takes years 0 and below (and above 9999), the
 * database driver does not, so those are refused here instead of failing the query.
 */
const storableDate = z.coerce
  .date()
  .refine((date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999, {
    message: "must be a time between the years 1 and 9999",
  });

export const auditFilterSchema = z
  .object({
    actorEmail: z
      .string()
      .trim()
      .toLowerCase()
      .min(1)
      .max(254)
      .optional()
      .describe("Only entries by the user with this email (any case)."),
    action: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Only actions starting with this, e.g. "auth." or "user.password.reset".'),
    resourceType: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Only entries about this kind of resource, e.g. "user", "record", "api_key".'),
    resourceId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("Only entries about the resource with this id (exact)."),
    // Coerced: the console sends ISO strings (tRPC has no date transformer here).
    from: storableDate.optional().describe("Only entries at or after this time."),
    to: storableDate.optional().describe("Only entries before this time."),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, {
    message: "from must not be after to.",
    path: ["from"],
  });
export type AuditFilter = z.input<typeof auditFilterSchema>;

export const listAuditInputSchema = z.object({
  filter: auditFilterSchema.default({}),
  cursor: auditCursorSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50).describe("Entries per page, 1–200."),
});
export type ListAuditInput = z.input<typeof listAuditInputSchema>;

export const auditViewSchema = z.object({
  id: z.string().describe("A 64-bit integer, as a string because JSON numbers cannot hold it."),
  at: z.date(),
  actor: z
    .object({
      id: z.uuid(),
      email: z.string().nullable().describe("null when the user has since been deleted."),
    })
    .nullable()
    .describe("null for anonymous actions, e.g. a failed sign-in with an unknown email."),
  actorType: z.string().describe('How the actor came: "session", "jwt", "api_key", "anonymous".'),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()).describe("What changed; never secrets."),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditView = z.infer<typeof auditViewSchema>;

export const listAuditResultSchema = z.object({
  items: z.array(auditViewSchema),
  nextCursor: auditCursorSchema.nullable().describe("null on the last page."),
});
export type ListAuditResult = z.infer<typeof listAuditResultSchema>;

/** Builds the view field by field; `emails` maps actor ids to their current email. */
export function toAuditView(row: AuditLog, emails: ReadonlyMap<string, string>): AuditView {
  const summary = row.summary;
  return {
    id: row.id.toString(),
    at: row.at,
    actor: row.actorId ? { id: row.actorId, email: emails.get(row.actorId) ?? null } : null,
    actorType: row.actorType,
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    // recordAudit always writes an object; anything else is kept rather than dropped.
    summary:
      typeof summary === "object" && summary !== null && !Array.isArray(summary)
        ? summary
        : { value: summary },
    ip: row.ip,
    requestId: row.requestId,
  };
}
