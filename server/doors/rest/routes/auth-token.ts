import { exchangeToken, tokenRequestSchema } from "../../../auth/exchange-token";
import { database } from "../../../db/client";
import { clientIpFrom } from "../client-ip";
import { route } from "../route";

export const POST = route({
  endpoint: "/api/v1/lake/auth/token",
  body: tokenRequestSchema,
  handler: ({ request, requestId, body }) =>
    exchangeToken({ db: database(), request: body, ip: clientIpFrom(request.headers), requestId }),
});
