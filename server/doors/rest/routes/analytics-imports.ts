import { importVolume } from "../../../analytics/platform-activity";
import { timeRangeSchema } from "../../../analytics/time-range.schemas";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** Imports finished per step: jobs by outcome, rows, bytes. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/analytics/imports",
  permission: "read",
  rateLimit: dataRateLimit,
  query: timeRangeSchema,
  handler: (input) => importVolume({ ...input.services, query: input.query }),
});
