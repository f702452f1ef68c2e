import { authorize } from "../../auth/authorize";
import { isAdmin, type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import type { ImportStatus } from "../../db/generated/enums";
import { AppError } from "../../errors/app-error";
import { type importJobPageSchema } from "../imports.schemas";
import { jobWithStages, toJobView } from "./job-view";
import { type z } from "zod";

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(time ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new AppError("bad_request", "The cursor is not one this API issued.", {
      parameter: "cursor",
    });
  }
  return { createdAt, id };
}

/**
 * Import history, newest first, keyset-paginated: the caller's own, or everyone's for admins —
 * or one owner's (`owner`: an admin's choice; anyone may name themself).
 */
export async function listImportJobs(options: {
  db: Database;
  principal: Principal;
  status?: ImportStatus;
  owner?: string;
  limit: number;
  cursor?: string;
}): Promise<z.infer<typeof importJobPageSchema>> {
  const { db, principal, limit } = options;
  authorize(principal, "read");
  if (options.owner !== undefined && options.owner !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", "Only administrators can list another user's imports.");
  }
  const owner = isAdmin(principal) ? options.owner : principal.userId;
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await db.prisma.importJob.findMany({
    where: {
      ...(owner ? { ownerId: owner } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: jobWithStages,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((job) => toJobView(job)),
    next_cursor:
      rows.length > limit && last
        ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString("base64url")
        : null,
  };
}
