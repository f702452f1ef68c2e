import { randomBytes } from "node:crypto";

import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { type Webhook } from "../../db/generated/client";
import { type DbClient } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { checkWebhookTarget } from "./webhook-target";
import { webhookInputSchema, type WebhookDeliveryView, type WebhookView } from "./webhook.schemas";
import { idOrName } from "../../input/uuid";

const toView = (webhook: Webhook): WebhookView => ({
  id: webhook.id,
  name: webhook.name,
  url: webhook.url,
  created_at: webhook.createdAt.toISOString(),
});

/**
 * A webhook by id or name, for its creator or an admin (its URL and deliveries are theirs);
 * anyone else gets not_found.
 */
export async function findWebhook(
  db: DbClient,
  principal: ServiceContext["principal"],
  ref: string,
): Promise<Webhook> {
  const webhook = await db.prisma.webhook.findFirst({
    where: idOrName(ref),
  });
  if (!webhook || (webhook.createdBy !== principal.userId && !isAdmin(principal))) {
    throw new AppError("not_found", "The webhook was not found.");
  }
  return webhook;
}

/** A new webhook with a fresh secret, which only this answer shows. Needs "write". */
export async function createWebhook(
  options: Omit<ServiceContext, "cache"> & { input: unknown; allowPrivate: boolean },
): Promise<WebhookView & { secret: string }> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = webhookInputSchema.safeParse(options.input);
  if (!parsed.success) throw toAppError(parsed.error);
  await checkWebhookTarget(parsed.data.url, options.allowPrivate);
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return db.prisma.$transaction(async (tx) => {
    const [created] = await tx.webhook.createManyAndReturn({
      data: [{ ...parsed.data, secret, createdBy: principal.userId }],
      skipDuplicates: true,
    });
    if (!created) {
      throw new AppError("conflict", "A webhook with this name already exists.", {
        name: parsed.data.name,
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "webhook.create",
        resource: { type: "webhook", id: created.id },
        summary: { after: parsed.data },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { ...toView(created), secret };
  });
}

/** The caller's webhooks (an admin's: all). */
export async function listWebhooks(
  options: Pick<ServiceContext, "db" | "principal">,
): Promise<WebhookView[]> {
  authorize(options.principal, "read");
  const webhooks = await options.db.prisma.webhook.findMany({
    where: isAdmin(options.principal) ? {} : { createdBy: options.principal.userId },
    orderBy: { name: "asc" },
  });
  return webhooks.map(toView);
}

export async function deleteWebhook(
  options: Omit<ServiceContext, "cache"> & { webhook: string },
): Promise<void> {
  authorize(options.principal, "delete");
  const webhook = await findWebhook(options.db, options.principal, options.webhook);
  await options.db.prisma.$transaction(async (tx) => {
    await tx.webhook.delete({ where: { id: webhook.id } });
    await recordAudit(
      { prisma: tx },
      {
        actor: options.principal,
        action: "webhook.delete",
        resource: { type: "webhook", id: webhook.id },
        summary: { before: { name: webhook.name, url: webhook.url } },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
}

/** A webhook's latest deliveries with every attempt: the delivery log. */
export async function listWebhookDeliveries(
  options: Pick<ServiceContext, "db" | "principal"> & { webhook: string; limit?: number },
): Promise<WebhookDeliveryView[]> {
  authorize(options.principal, "read");
  const webhook = await findWebhook(options.db, options.principal, options.webhook);
  const deliveries = await options.db.prisma.webhookDelivery.findMany({
    where: { webhookId: webhook.id },
    orderBy: { id: "desc" },
    take: Math.min(options.limit ?? 100, 500),
    include: { attemptLog: { orderBy: { attempt: "asc" } } },
  });
  return deliveries.map((delivery) => ({
    id: delivery.id.toString(),
    status: delivery.status as WebhookDeliveryView["status"],
    body: JSON.parse(delivery.body) as unknown,
    attempts: delivery.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      at: attempt.at.toISOString(),
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      error: attempt.error,
    })),
    created_at: delivery.createdAt.toISOString(),
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    last_error: delivery.lastError,
  }));
}
