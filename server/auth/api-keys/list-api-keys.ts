import { type Database } from "../../db/client";
import { requireAdmin } from "../authorize";
import { type Principal } from "../principal";
import { listApiKeysInputSchema, toApiKeyView, type ApiKeyView } from "./api-key.schemas";

export type ListApiKeysOptions = {
  db: Database;
  principal: Principal;
  /** "mine": the principal's keys; "all": everyone's, with their owners (admins only). */
  scope?: "mine" | "all";
};

/** Keys in every state (revoked, expired, rotated included), newest first. */
export async function listApiKeys(options: ListApiKeysOptions): Promise<ApiKeyView[]> {
  const { db, principal } = options;
  const { scope } = listApiKeysInputSchema.parse({ scope: options.scope });
  if (scope === "all") requireAdmin(principal, "read");
  const now = new Date();
  // The id breaks ties between keys created in the same millisecond, so the order is stable.
  const orderBy = [{ createdAt: "desc" as const }, { id: "desc" as const }];
  if (scope === "mine") {
    const rows = await db.prisma.apiKey.findMany({ where: { userId: principal.userId }, orderBy });
    return rows.map((row) => toApiKeyView(row, now));
  }
  const rows = await db.prisma.apiKey.findMany({
    orderBy,
    include: { user: { select: { id: true, email: true } } },
  });
  return rows.map((row) => toApiKeyView(row, now));
}
