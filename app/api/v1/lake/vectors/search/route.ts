import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { searchVectors } from "@/server/vectors/search/search-vectors";
import { searchBodySchema } from "@/server/vectors/vectors.schemas";

export const dynamic = "force-dynamic";

/** Similarity search by vector, text or record (README: "Vector search"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/search",
  permission: "read",
  rateLimit: dataRateLimit,
  body: searchBodySchema,
  handler: (input) => searchVectors({ ...serviceContext(input), search: input.body }),
});
