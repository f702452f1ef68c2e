import { windowSeries, windowSeriesQuerySchema } from "../../../analytics/window-series";
import { env } from "../../../env";
import { alertRuleInputSchema, alertRuleParams } from "../../../stream/alerts/alert-rule.schemas";
import {
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
} from "../../../stream/alerts/alert-rules";
import { listAlertTransitions } from "../../../stream/alerts/list-alert-transitions";
import { previewAlertRule, previewInputSchema } from "../../../stream/alerts/preview-alert-rule";
import { webhookInputSchema, webhookParams } from "../../../stream/webhooks/webhook.schemas";
import { aggregationRuleInputSchema } from "../../../stream/windows/aggregation-rule.schemas";
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
} from "../../../stream/webhooks/webhooks";
import { createAggregationRule } from "../../../stream/windows/create-aggregation-rule";
import { findAggregationRules } from "../../../stream/windows/list-aggregation-rules";
import { dataProcedure, router } from "../init";

/**
 * Each input is the REST route's schema, and the service parses it again: one place per rule.
 * The console's Analytics and Alerts pages: the same services as /api/v1/lake/windows,
 * /alerts and /analytics, so the same rules.
 */
export const realtimeRouter = router({
  aggregationRules: dataProcedure.query(({ ctx }) => findAggregationRules(ctx.services)),
  createAggregationRule: dataProcedure
    .input(aggregationRuleInputSchema)
    .mutation(({ ctx, input }) => createAggregationRule({ ...ctx.services, input })),
  series: dataProcedure
    .input(windowSeriesQuerySchema)
    .query(({ ctx, input }) => windowSeries({ ...ctx.services, query: input })),

  alertRules: dataProcedure.query(({ ctx }) => listAlertRules(ctx.services)),
  createAlertRule: dataProcedure
    .input(alertRuleInputSchema)
    .mutation(({ ctx, input }) => createAlertRule({ ...ctx.services, input })),
  deleteAlertRule: dataProcedure
    .input(alertRuleParams)
    .mutation(({ ctx, input }) => deleteAlertRule({ ...ctx.services, rule: input.rule })),
  previewAlertRule: dataProcedure
    .input(previewInputSchema)
    .mutation(({ ctx, input }) => previewAlertRule({ ...ctx.services, input })),
  transitions: dataProcedure
    .input(alertRuleParams)
    .query(({ ctx, input }) =>
      listAlertTransitions({ ...ctx.services, rule: input.rule, query: { limit: 100 } }),
    ),

  webhooks: dataProcedure.query(({ ctx }) => listWebhooks(ctx.services)),
  createWebhook: dataProcedure
    .input(webhookInputSchema)
    .mutation(({ ctx, input }) =>
      createWebhook({ ...ctx.services, input, allowPrivate: env().LAKE_WEBHOOK_ALLOW_PRIVATE }),
    ),
  deleteWebhook: dataProcedure
    .input(webhookParams)
    .mutation(({ ctx, input }) => deleteWebhook({ ...ctx.services, webhook: input.webhook })),
  deliveries: dataProcedure
    .input(webhookParams)
    .query(({ ctx, input }) =>
      listWebhookDeliveries({ ...ctx.services, webhook: input.webhook, limit: 50 }),
    ),
});
