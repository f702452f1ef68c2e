import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { listIndexStatus } from "@/server/vectors/indexes/index-status";

export const dynamic = "force-dynamic";

/** The state of every ANN index: parameters, rows, measured recall, size, last build, progress. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/vectors/indexes",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: (input) => listIndexStatus(serviceContext(input)),
});
