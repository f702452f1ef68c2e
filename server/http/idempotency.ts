import { createHash } from "node:crypto";

import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError } from "./app-error";

/** A claim older than this whose request never finished (a crashed process) may be taken over. */
const ABANDONED_AFTER_MS = 60_000;
const KEY = /^[\w.:-]{1,255}$/;

export type StoredResponse = { status: number; body: unknown };

/**
 * `Idempotency-Key` for POSTs: the first request with a key runs and its answer is stored in
 * PostgreSQL (so it holds across instances and Redis outages); a retry with the same key and the
 * same request gets that answer again, never a second write. The same key with another request,
 * or while the first is still running, is a 409. Failed requests are not stored: retrying them is
 * the point. Keys are per caller.
 */
export async function withIdempotency(options: {
  db: Database;
  principal: Principal;
  key: string | null;
  /** Method, path and body: what makes two requests "the same". */
  fingerprint: string;
  run: () => Promise<StoredResponse>;
}): Promise<StoredResponse & { replayed: boolean }> {
  const { db, principal, key } = options;
  if (key === null) return { ...(await options.run()), replayed: false };
  if (!KEY.test(key)) {
    throw new AppError(
      "bad_request",
      "Idempotency-Key must be 1–255 characters of letters, digits, _ . : -",
    );
  }
  const requestHash = createHash("sha256").update(options.fingerprint).digest("hex");
  const id = { userId_key: { userId: principal.userId, key } };

  const claimed = await db.prisma.idempotencyKey.createMany({
    data: [{ userId: principal.userId, key, requestHash }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) {
    const existing = await db.prisma.idempotencyKey.findUnique({ where: id });
    if (existing && existing.requestHash !== requestHash) {
      throw new AppError("conflict", "This Idempotency-Key was used with a different request.");
    }
    if (existing?.status != null) {
      return { status: existing.status, body: existing.response, replayed: true };
    }
    const abandoned = existing && Date.now() - existing.createdAt.getTime() > ABANDONED_AFTER_MS;
    const takenOver =
      abandoned &&
      (
        await db.prisma.idempotencyKey.updateMany({
          where: { ...id.userId_key, status: null, createdAt: existing.createdAt },
          data: { createdAt: new Date() },
        })
      ).count === 1;
    if (!takenOver) {
      throw new AppError(
        "conflict",
        "A request with this Idempotency-Key is still in progress; retry shortly.",
        undefined,
        {
          "Retry-After": "1",
        },
      );
    }
  }

  try {
    const result = await options.run();
    await db.prisma.idempotencyKey.update({
      where: id,
      data: { status: result.status, response: result.body as Prisma.InputJsonValue },
    });
    return { ...result, replayed: false };
  } catch (error) {
    await db.prisma.idempotencyKey.delete({ where: id }).catch(() => undefined);
    throw error;
  }
}
