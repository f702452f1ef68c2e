import { archiveCriteriaSchema } from "@/server/data/records/archive.schemas";
import { setArchived } from "@/server/data/records/set-archived";
import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";

export const dynamic = "force-dynamic";

/** Restore the records matching dataset, time range and payload filters (README: "Archiving"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/data/restore",
  permission: "write",
  rateLimit: dataRateLimit,
  body: archiveCriteriaSchema,
  handler: (input) =>
    setArchived({ ...serviceContext(input), criteria: input.body, archived: false }),
});
