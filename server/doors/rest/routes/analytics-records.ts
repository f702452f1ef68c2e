import { recordActivity, recordActivityQuerySchema } from "../../../analytics/platform-activity";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** Records created, updated and deleted per dataset and step. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/analytics/records",
  permission: "read",
  rateLimit: dataRateLimit,
  query: recordActivityQuerySchema,
  handler: (input) => recordActivity({ ...input.services, query: input.query }),
});
