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

/** A dataset without its record_count, for callers that count only when asked (GraphQL). */
export type UncountedDatasetView = Omit<DatasetView, "record_count">;

/**
 * Every dataset, sorted by name. Datasets themselves are not owner-scoped (a reader must find a
 * dataset to read its records); their records are, so record_count counts what the caller sees.
 */
export async function listDatasets(options: ListDatasetsOptions): Promise<DatasetView[]> {
  const rows = await findDatasetRows(options);
  const counts = await countVisibleRecords(options.db.prisma, options.principal, rows);
  return rows.map((row) => toDatasetView(row, counts.get(row.id) ?? 0));
}

/**
 * listDatasets without the count, which reads every visible record of each dataset: for a caller
 * that counts separately when it needs the number (countVisibleRecords), or never.
 */
export async function listUncountedDatasets(
  options: ListDatasetsOptions,
): Promise<UncountedDatasetView[]> {
  const rows = await findDatasetRows(options);
  return rows.map((row) => {
    const { record_count: _, ...view } = toDatasetView(row, 0);
    return view;
  });
}

function findDatasetRows(options: ListDatasetsOptions) {
  authorize(options.principal, "read");
  return options.db.prisma.dataset.findMany({
    where: {
      ...(options.ids ? { id: { in: [...options.ids] } } : {}),
      ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    },
    orderBy: { name: "asc" },
  });
}
