import { z } from "zod";
import { resourceNameSchema } from "../../input/resource-name";

export const webhookInputSchema = z
  .object({
    name: resourceNameSchema,
    url: z
      .string()
      .max(2048)
      .describe("An http(s) URL; loopback and private networks are refused."),
  })
  .strict();

export const webhookViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  created_at: z.string(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const createdWebhookSchema = webhookViewSchema.extend({
  secret: z
    .string()
    .describe("The key of the deliveries' Lake-Signature (HMAC-SHA256): shown only now."),
});

export const webhookListSchema = z.object({ webhooks: z.array(webhookViewSchema) });

export const webhookDeliveryViewSchema = z.object({
  id: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  body: z.unknown().describe("What was (or will be) sent."),
  attempts: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      duration_ms: z.number().int(),
      status_code: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
  last_error: z.string().nullable(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;

export const webhookDeliveryListSchema = z.object({
  deliveries: z.array(webhookDeliveryViewSchema).describe("Newest first."),
});

/** A webhook in a URL: its id or its name. */
export const webhookParams = z.object({ webhook: z.string().min(1).max(200) });
