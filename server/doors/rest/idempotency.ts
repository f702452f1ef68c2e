import { createHash } from "node:crypto";

import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { inTransaction, type DbClient } from "../../db/transaction";
import type { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";

/** A claim older than this whose request never finished (a crashed process) may be taken over. */
const ABANDONED_AFTER_MS = 60_000;
/**
 * A claim this old that no transaction holds may be taken over sooner: its request failed without
 * freeing it — PostgreSQL went away between the claim and the work, so the delete failed too —
 * and a client retrying after the 503 would otherwise get 409s for a minute. A first attempt
 * still on its way from the claim to its transaction is not yet holding it; the grace covers that.
 */
const UNHELD_AFTER_MS = 2_000;
const KEY = /^[\w.:-]{1,255}$/;

export type StoredResponse = { status: number; body: unknown };

/**
 * `Idempotency-Key` for POSTs: the first request with a key runs and its answer is stored in
 * PostgreSQL (so it holds across instances and Redis outages); a retry with the same key and the
 * same request gets that answer again, never a second write: the work and the stored answer
 * commit in one transaction. The same key with another request,
 * or while the first is still running, is a 409. Failed requests are not stored: retrying them is
 * the point. Keys are per caller.
 */
export async function withIdempotency(options: {
  db: Database;
  principal: Principal;
  key: string | null;
  /**
   * Method, path and body: what makes two requests "the same". A function, because only a keyed
   * request needs it, and serialising every body for nothing showed in the POST profile.
   */
  fingerprint: () => string;
  /** Does the work on `db` — inside the transaction that also stores the answer, when keyed. */
  run: (db: DbClient) => Promise<StoredResponse>;
}): Promise<StoredResponse & { replayed: boolean }> {
  const { db, principal, key } = options;
  if (key === null) return { ...(await options.run(db)), replayed: false };
  if (!KEY.test(key)) {
    throw new AppError(
      "bad_request",
      "Idempotency-Key must be 1–255 characters of letters, digits, _ . : -",
    );
  }
  const requestHash = createHash("sha256").update(options.fingerprint()).digest("hex");
  const where = { userId: principal.userId, key };
  // created_at doubles as the claim's token: a takeover replaces it, and the original attempt,
  // finding it changed, writes nothing.
  const claimedAt = new Date();

  const claimed = await db.prisma.idempotencyKey.createMany({
    data: [{ ...where, requestHash, createdAt: claimedAt }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) {
    const replay = await existingAnswer(db, where, requestHash);
    if (replay) return replay;
    const existing = await db.prisma.idempotencyKey.findUnique({ where: { userId_key: where } });
    const age = existing ? Date.now() - existing.createdAt.getTime() : 0;
    // Blocks while a still-running first attempt holds the row; then finds it answered.
    const takenOver =
      existing !== null &&
      (age > ABANDONED_AFTER_MS
        ? (
            await db.prisma.idempotencyKey.updateMany({
              where: { ...where, status: null, createdAt: existing.createdAt },
              data: { createdAt: claimedAt },
            })
          ).count === 1
        : age > UNHELD_AFTER_MS &&
          (await takeOverUnheld(db, where, existing.createdAt, claimedAt)));
    if (!takenOver) {
      const answered = await existingAnswer(db, where, requestHash);
      if (answered) return answered;
      throw new AppError(
        "conflict",
        "A request with this Idempotency-Key is still in progress; retry shortly.",
        undefined,
        { "Retry-After": "1" },
      );
    }
  }

  const ours = { ...where, status: null, createdAt: claimedAt };
  try {
    // The work and its stored answer commit together: a crash leaves neither, and a retry then
    // does the work once.
    const result = await inTransaction(db, async (tx) => {
      // Locks the claim for the transaction, and checks it was not taken over meanwhile.
      const stillOurs = await tx.idempotencyKey.updateMany({
        where: ours,
        data: { createdAt: claimedAt },
      });
      if (stillOurs.count === 0) {
        throw new AppError(
          "conflict",
          "This Idempotency-Key was taken over by a retry; read its answer.",
        );
      }
      const answer = await options.run({ prisma: tx });
      await tx.idempotencyKey.updateMany({
        where: ours,
        data: { status: answer.status, response: answer.body as Prisma.InputJsonValue },
      });
      return answer;
    });
    return { ...result, replayed: false };
  } catch (error) {
    // Nothing was stored: free the key so the client's retry runs (unless a takeover owns it).
    await db.prisma.idempotencyKey.deleteMany({ where: ours }).catch(() => undefined);
    throw error;
  }
}

/**
 * Takes over a claim no transaction holds (SKIP LOCKED: a running first attempt keeps it), as the
 * abandoned path does. Safe even if the first attempt is alive after all: its work commits only
 * under the claim's lock with its own token, which this replaces, so the work runs once.
 */
async function takeOverUnheld(
  db: Database,
  where: { userId: string; key: string },
  token: Date,
  claimedAt: Date,
): Promise<boolean> {
  const count = await db.prisma.$executeRaw`
    UPDATE idempotency_keys SET created_at = ${claimedAt}
     WHERE user_id = ${where.userId}::uuid AND key = ${where.key}
       AND status IS NULL AND created_at = ${token}
       AND (user_id, key) IN (SELECT user_id, key FROM idempotency_keys
                               WHERE user_id = ${where.userId}::uuid AND key = ${where.key}
                               FOR UPDATE SKIP LOCKED)`;
  return count === 1;
}

async function existingAnswer(
  db: Database,
  where: { userId: string; key: string },
  requestHash: string,
): Promise<(StoredResponse & { replayed: true }) | undefined> {
  const existing = await db.prisma.idempotencyKey.findUnique({ where: { userId_key: where } });
  if (existing && existing.requestHash !== requestHash) {
    throw new AppError("conflict", "This Idempotency-Key was used with a different request.");
  }
  if (existing?.status != null)
    return { status: existing.status, body: existing.response, replayed: true };
  return undefined;
}
