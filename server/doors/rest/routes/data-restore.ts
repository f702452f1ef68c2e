import { archiveCriteriaSchema } from "../../../data/records/archive.schemas";
import { setArchived } from "../../../data/records/set-archived";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** Restore the records matching dataset, time range and payload filters (README: "Archiving"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/data/restore",
  permission: "write",
  rateLimit: dataRateLimit,
  body: archiveCriteriaSchema,
  handler: (input) => setArchived({ ...input.services, criteria: input.body, archived: false }),
});
