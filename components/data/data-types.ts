import type { DatasetView } from "@/server/data/datasets/datasets.schemas";
import type { RecordQueryItem } from "@/server/data/records/query/record-query.schemas";
import type { RecordView } from "@/server/data/records/records.schemas";

export type { DatasetView, RecordQueryItem, RecordView };

export type DatasetPolicy = DatasetView["policy"];

/** A row of the records table: the API's item, whose fields are all there without `select`. */
export type RecordRow = RecordQueryItem & { id: string };

export const POLICY_INFO: Record<DatasetPolicy, { label: string; description: string }> = {
  user_data: {
    label: "Owner only",
    description: "Each user sees only the records they created; administrators see all.",
  },
  analytics: {
    label: "Shared",
    description: "Everyone with read access sees every record.",
  },
};
