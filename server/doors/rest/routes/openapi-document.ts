import { route } from "../route";
import { buildOpenApiDocument } from "../../../openapi/build-openapi";

/**
 * The API's OpenAPI 3.1 document. Public on purpose: it is the contract and holds no data, so
 * client generators and API tools can fetch it without a credential.
 */
export const GET = route({
  endpoint: "/api/v1/lake/openapi.json",
  handler: async () =>
    Response.json(buildOpenApiDocument(), {
      headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
    }),
});
