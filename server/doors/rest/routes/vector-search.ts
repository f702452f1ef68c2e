import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { searchVectors } from "../../../vectors/search/search-vectors";
import { searchBodySchema } from "../../../vectors/vectors.schemas";

/** Similarity search by vector, text or record (README: "Vector search"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/search",
  permission: "read",
  rateLimit: dataRateLimit,
  body: searchBodySchema,
  handler: (input) => searchVectors({ ...input.services, search: input.body }),
});
