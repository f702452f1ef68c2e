import { type z } from "zod";

import { authorize } from "../auth/authorize";
import { type Prisma, type SavedQuery } from "../db/generated/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { type ServiceContext } from "../service-context";
import {
  MAX_SAVED_QUERIES,
  savedQueryInputSchema,
  savedQueryParams,
  type SavedQueryView,
} from "./saved-query.schemas";

type Caller = Pick<ServiceContext, "db" | "principal">;

const toView = (saved: SavedQuery): SavedQueryView => ({
  id: saved.id,
  name: saved.name,
  query: saved.query,
  variables: saved.variables as Record<string, unknown>,
  created_at: saved.createdAt.toISOString(),
  updated_at: saved.updatedAt.toISOString(),
});

/** zod's refusal as the one validation error (400 with the issues), like every other service. */
function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw toAppError(parsed.error);
  return parsed.data;
}

/**
 * Saved queries are the caller's own workspace on the Query page, not Lake data: every function
 * here is scoped to the caller's user id, so another user's query is unreachable (not_found, never
 * forbidden, so its existence does not leak), admins included. They need the read permission the
 * Query page needs; write and delete are permissions on data and do not apply.
 */
export async function listSavedQueries(options: Caller): Promise<SavedQueryView[]> {
  authorize(options.principal, "read");
  const saved = await options.db.prisma.savedQuery.findMany({
    where: { ownerId: options.principal.userId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return saved.map(toView);
}

/** Saves an operation under a name: a new one, or the caller's query of that name replaced. */
export async function saveQuery(options: Caller & { input: unknown }): Promise<SavedQueryView> {
  const { db, principal } = options;
  authorize(principal, "read");
  const input = parse(savedQueryInputSchema, options.input);
  const ownerId = principal.userId;
  const values = { query: input.query, variables: input.variables as Prisma.InputJsonValue };
  return db.prisma.$transaction(async (tx) => {
    const existing = await tx.savedQuery.findUnique({
      where: { ownerId_name: { ownerId, name: input.name } },
      select: { id: true },
    });
    // A bound on what one user stores, not an exact quota: two saves racing may pass it by one.
    if (!existing && (await tx.savedQuery.count({ where: { ownerId } })) >= MAX_SAVED_QUERIES) {
      throw new AppError(
        "conflict",
        `You have ${MAX_SAVED_QUERIES} saved queries, the most one user may keep: delete one first.`,
        { reason: "too_many_saved_queries", limit: MAX_SAVED_QUERIES },
      );
    }
    const saved = await tx.savedQuery.upsert({
      where: { ownerId_name: { ownerId, name: input.name } },
      create: { ownerId, name: input.name, ...values },
      update: values,
    });
    return toView(saved);
  });
}

/** Deletes one of the caller's saved queries; anyone else's id is not_found. */
export async function deleteSavedQuery(options: Caller & { id: unknown }): Promise<void> {
  authorize(options.principal, "read");
  const { id } = parse(savedQueryParams, { id: options.id });
  const { count } = await options.db.prisma.savedQuery.deleteMany({
    where: { id, ownerId: options.principal.userId },
  });
  if (count === 0) throw new AppError("not_found", "The saved query was not found.");
}
