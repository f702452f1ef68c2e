import { webhookParams } from "../../../stream/webhooks/webhook.schemas";
import { listWebhookDeliveries } from "../../../stream/webhooks/webhooks";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** The delivery log: the latest deliveries with each attempt's status, error and duration. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/alerts/webhooks/[webhook]/deliveries",
  permission: "read",
  rateLimit: dataRateLimit,
  params: webhookParams,
  handler: async (input) => ({
    deliveries: await listWebhookDeliveries({ ...input.services, webhook: input.params.webhook }),
  }),
});
