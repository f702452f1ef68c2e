import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { tuneVectorIndex } from "../../../vectors/indexes/index-status";
import { tuneIndexBodySchema } from "../../../vectors/vectors.schemas";

/** Rebuild and tune one index in the background (administrators): 202 with its state. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/indexes/tune",
  permission: "write",
  rateLimit: dataRateLimit,
  body: tuneIndexBodySchema,
  status: 202,
  handler: (input) => tuneVectorIndex({ ...input.services, request: input.body }),
});
