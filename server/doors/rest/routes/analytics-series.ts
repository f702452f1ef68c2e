import { windowSeries, windowSeriesQuerySchema } from "../../../analytics/window-series";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** A time series from an aggregation rule's windows (analytics over the streams). */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/analytics/series",
  permission: "read",
  rateLimit: dataRateLimit,
  query: windowSeriesQuerySchema,
  handler: (input) => windowSeries({ ...input.services, query: input.query }),
});
