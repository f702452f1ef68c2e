import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { countVisibleRecords } from "./count-visible-records";
import { toDatasetView, type DatasetView } from "./datasets.schemas";

export type ListDatasetsOptions = {
  db: Pick<Database, "prisma">;
  /** Needs the "read" permission. */
  principal: Principal;
};

/**
 * Every dataset, sorted by name. Datasets themselves are not owner-scoped (a reader must find a
 * dataset to read its records); their records are, so record_count counts what the caller sees.
 */
export async function listDatasets(options: ListDatasetsOptions): Promise<DatasetView[]> {
  const { db, principal } = options;
  authorize(principal, "read");
  const rows = await db.prisma.dataset.findMany({ orderBy: { name: "asc" } });
  const counts = await countVisibleRecords(db.prisma, principal, rows);
  return rows.map((row) => toDatasetView(row, counts.get(row.id) ?? 0));
}
