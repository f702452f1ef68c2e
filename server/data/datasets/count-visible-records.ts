import { isAdmin, type Principal } from "../../auth/principal";
import { Prisma, type Dataset, type PrismaClient } from "../../db/generated/client";
import { publishedSql } from "../records/published-records";

const PUBLISHED = Prisma.raw(publishedSql("r"));

/**
 * Non-archived records per dataset, as the principal may see them: every record of an analytics
 * dataset, only its own in a user_data one (all for an admin). Counting others' user_data records
 * would disclose what the records' owner-only policy hides. One grouped query for any number of
 * datasets; a dataset without visible records is absent from the map. An import's rows count once
 * it has published them (published-records.ts).
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
  const groups = await prisma.$queryRaw<{ datasetId: string; count: bigint }[]>`
    SELECT r.dataset_id AS "datasetId", count(*) AS count
      FROM records r
     WHERE NOT r.archived AND ${PUBLISHED}
       AND (r.dataset_id = ANY(${whole}::uuid[])
            OR (r.dataset_id = ANY(${ownOnly}::uuid[]) AND r.owner_id = ${principal.userId}::uuid))
     GROUP BY r.dataset_id`;
  return new Map(groups.map((group) => [group.datasetId, Number(group.count)]));
}
