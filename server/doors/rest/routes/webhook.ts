import { webhookParams } from "../../../stream/webhooks/webhook.schemas";
import { deleteWebhook } from "../../../stream/webhooks/webhooks";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/alerts/webhooks/[webhook]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params: webhookParams,
  handler: async (input) => {
    await deleteWebhook({ ...input.services, webhook: input.params.webhook });
    return new Response(null, { status: 204 });
  },
});
