import { isAdmin, type Principal } from "../../auth/principal";
import type { Dataset, Prisma, PrismaClient } from "../../db/generated/client";

/**
 * Non-archived records per dataset, as the principal may see them: every record of an analytics
 * dataset, only its own in a user_data one (all for an admin). Counting others' user_data records
 * would disclose what the records' owner-only policy hides. One grouped query for any number of
 * datasets; a dataset without visible records is absent from the map.
 */
export async function countVisibleRecords(
  prisma: PrismaClient | Prisma.TransactionClient,
  principal: Principal,
  datasets: readonly Pick<Dataset, "id" | "policy">[],
): Promise<Map<string, number>> {
  if (datasets.length === 0) return new Map();
  const whole: string[] = [];
  const ownOnly: string[] = [];
  for (const dataset of datasets) {
    const all = isAdmin(principal) || dataset.policy === "analytics";
    (all ? whole : ownOnly).push(dataset.id);
  }
  const groups = await prisma.record.groupBy({
    by: ["datasetId"],
    where: {
      archived: false,
      OR: [
        ...(whole.length > 0 ? [{ datasetId: { in: whole } }] : []),
        ...(ownOnly.length > 0 ? [{ datasetId: { in: ownOnly }, ownerId: principal.userId }] : []),
      ],
    },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [group.datasetId, group._count._all]));
}
