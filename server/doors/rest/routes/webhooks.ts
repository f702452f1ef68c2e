import { env } from "../../../env";
import { webhookInputSchema } from "../../../stream/webhooks/webhook.schemas";
import { createWebhook, listWebhooks } from "../../../stream/webhooks/webhooks";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/alerts/webhooks",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => ({ webhooks: await listWebhooks(input.services) }),
});

export const POST = apiRoute({
  endpoint: "/api/v1/lake/alerts/webhooks",
  permission: "write",
  rateLimit: dataRateLimit,
  body: webhookInputSchema,
  status: 201,
  handler: (input) =>
    createWebhook({
      ...input.services,
      input: input.body,
      allowPrivate: env().LAKE_WEBHOOK_ALLOW_PRIVATE,
    }),
});
