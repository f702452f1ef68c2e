import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { type ImportJobView } from "../imports.schemas";
import { loadAccessibleJob } from "./job-access";
import { toJobView } from "./job-view";

/** One import's progress: bytes, rows per stage, rejected rows, stage, throughput and ETA. */
export async function getImportJob(options: {
  db: Database;
  principal: Principal;
  id: string;
}): Promise<ImportJobView> {
  return toJobView(await loadAccessibleJob({ ...options, permission: "read" }));
}
