import { exchangeToken, tokenRequestSchema } from "@/server/auth/exchange-token";
import { database } from "@/server/db/client";
import { clientIpFrom } from "@/server/http/client-ip";
import { route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const POST = route({
  endpoint: "/api/v1/lake/auth/token",
  body: tokenRequestSchema,
  handler: ({ request, requestId, body }) =>
    exchangeToken({ db: database(), request: body, ip: clientIpFrom(request.headers), requestId }),
});
