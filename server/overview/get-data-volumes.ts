import { authorize } from "../auth/authorize";
import { isAdmin, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { countVisibleRecords } from "../data/datasets/count-visible-records";
import { publishedSql } from "../data/records/published-records";
import { Prisma } from "../db/generated/client";
import { dataVolumesSchema, type DataVolumes, type ImportDay } from "./overview.schemas";
import { estimateRecordRows, importsPerDay } from "./overview.queries";

/** Below this many rows (by the planner's estimate) records are counted exactly. */
export const EXACT_COUNT_BELOW = 100_000;
const DAYS = 14;
const DAY_MS = 86_400_000;
const PUBLISHED = Prisma.raw(publishedSql("r"));

export type GetDataVolumesOptions = {
  db: Pick<Database, "prisma">;
  /** Needs "read". Administrators get the instance's totals, others what their policies show. */
  principal: Principal;
  /** Ends the 14 days (a test's clock). */
  now?: Date;
};

/**
 * How much the Lake holds: datasets (every reader sees every dataset), records and imports per day
 * for the last 14 days. An administrator's record count is the planner's estimate once the table
 * is large (count(*) reads every row); anyone else's is the exact count of the records they may
 * see — a table-wide figure would reveal how many owner-only records others hold.
 */
export async function getDataVolumes(options: GetDataVolumesOptions): Promise<DataVolumes> {
  const { db, principal } = options;
  authorize(principal, "read");
  const admin = isAdmin(principal);
  const now = options.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (DAYS - 1) * DAY_MS);

  const [datasets, records, dayRows] = await Promise.all([
    db.prisma.dataset.count(),
    admin ? countAllRecords(db) : countRecordsVisibleTo(db, principal),
    importsPerDay(db.prisma, { from, ownerId: admin ? null : principal.userId }),
  ]);

  const byDay = new Map(dayRows.map((row) => [row.day, row]));
  const days: ImportDay[] = Array.from({ length: DAYS }, (_, i) => {
    const day = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    const row = byDay.get(day);
    return {
      day,
      started: row?.started ?? 0,
      succeeded: row?.succeeded ?? 0,
      failed: row?.failed ?? 0,
      rowsLoaded: Number(row?.rows_loaded ?? 0),
    };
  });
  return dataVolumesSchema.parse({
    datasets,
    records,
    imports: { scope: admin ? "all" : "own", days },
  });
}

async function countAllRecords(db: Pick<Database, "prisma">): Promise<DataVolumes["records"]> {
  const estimate = await estimateRecordRows(db.prisma);
  if (estimate !== null && estimate >= EXACT_COUNT_BELOW) {
    return { count: estimate, method: "estimate", scope: "all" };
  }
  const [row] = await db.prisma.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM records r WHERE NOT r.archived AND ${PUBLISHED}`;
  return { count: Number(row!.count), method: "exact", scope: "all" };
}

async function countRecordsVisibleTo(
  db: Pick<Database, "prisma">,
  principal: Principal,
): Promise<DataVolumes["records"]> {
  const datasets = await db.prisma.dataset.findMany({ select: { id: true, policy: true } });
  const counts = await countVisibleRecords(db.prisma, principal, datasets);
  let count = 0;
  for (const value of counts.values()) count += value;
  return { count, method: "exact", scope: "visible" };
}
