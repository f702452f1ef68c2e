import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { tuneVectorIndex } from "@/server/vectors/indexes/index-status";
import { tuneIndexBodySchema } from "@/server/vectors/vectors.schemas";

export const dynamic = "force-dynamic";

/** Rebuild and tune one index in the background (administrators): 202 with its state. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/indexes/tune",
  permission: "authenticated",
  rateLimit: dataRateLimit,
  body: tuneIndexBodySchema,
  status: 202,
  handler: (input) => tuneVectorIndex({ ...serviceContext(input), request: input.body }),
});
