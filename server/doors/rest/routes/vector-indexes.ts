import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { listIndexStatus } from "../../../vectors/indexes/index-status";

/** The state of every ANN index: parameters, rows, measured recall, size, last build, progress. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/vectors/indexes",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: (input) => listIndexStatus(input.services),
});
