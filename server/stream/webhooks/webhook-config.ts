import { type Database } from "../../db/client";
import { type Env } from "../../env";
import { type WebhookDeliveryOptions } from "./deliver-webhooks";

/** The delivery loop's settings from the environment. */
export const webhookDeliveryOptions = (
  db: Database,
  config: Pick<
    Env,
    "LAKE_WEBHOOK_ALLOW_PRIVATE" | "LAKE_WEBHOOK_TIMEOUT_MS" | "LAKE_WEBHOOK_MAX_AGE_HOURS"
  >,
): WebhookDeliveryOptions => ({
  db,
  allowPrivate: config.LAKE_WEBHOOK_ALLOW_PRIVATE,
  timeoutMs: config.LAKE_WEBHOOK_TIMEOUT_MS,
  maxAgeMs: config.LAKE_WEBHOOK_MAX_AGE_HOURS * 3_600_000,
});
