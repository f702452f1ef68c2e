import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { countVisibleRecords } from "./count-visible-records";
import { toDatasetView, type DatasetView } from "./datasets.schemas";

export type ListDatasetsOptions = {
  db: Pick<Database, "prisma">;
  /** Needs the "read" permission. */
  principal: Principal;
  /** Only these datasets (in no particular order). */
  ids?: readonly string[];
  /** Only the datasets this user created. */
  ownerId?: string;
};

/**
 * Every dataset, sorted by name. Datasets themselves are not owner-scoped (a reader must find a
 * dataset to read its records); their records are, so record_count counts what the caller sees.
 */
export async function listDatasets(options: ListDatasetsOptions): Promise<DatasetView[]> {
  const { db, principal } = options;
  authorize(principal, "read");
  const rows = await db.prisma.dataset.findMany({
    where: {
      ...(options.ids ? { id: { in: [...options.ids] } } : {}),
      ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    },
    orderBy: { name: "asc" },
  });
  const counts = await countVisibleRecords(db.prisma, principal, rows);
  return rows.map((row) => toDatasetView(row, counts.get(row.id) ?? 0));
}
