import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { countVisibleRecords } from "./count-visible-records";
import { toDatasetView, type DatasetView } from "./datasets.schemas";
import { findDataset } from "./find-dataset";

export type GetDatasetOptions = {
  db: Pick<Database, "prisma">;
  /** Needs the "read" permission; every dataset is visible to it. */
  principal: Principal;
  /** The dataset's id or name. */
  datasetRef: string;
};

/** One dataset; 404 when neither its id nor its name matches. */
export async function getDataset(options: GetDatasetOptions): Promise<DatasetView> {
  const { db, principal } = options;
  authorize(principal, "read");
  const dataset = await findDataset(db, options.datasetRef);
  const counts = await countVisibleRecords(db.prisma, principal, [dataset]);
  return toDatasetView(dataset, counts.get(dataset.id) ?? 0);
}
