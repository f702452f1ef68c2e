import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@/server/doors/trpc/router";

type Outputs = inferRouterOutputs<AppRouter>["realtime"];
type Inputs = inferRouterInputs<AppRouter>["realtime"];

export type AggregationRule = Outputs["aggregationRules"][number];
export type WindowSeries = Outputs["series"];
export type AlertRule = Outputs["alertRules"][number];
export type AlertTransition = Outputs["transitions"][number];
export type AlertPreview = Outputs["previewAlertRule"];
export type Webhook = Outputs["webhooks"][number];
export type WebhookDelivery = Outputs["deliveries"][number];
export type AggregationRuleInput = Inputs["createAggregationRule"];
export type AlertRuleInput = Inputs["createAlertRule"];

export const WINDOW_FUNCTIONS = ["count", "avg", "max", "min", "sum"] as const;
export type WindowFunction = (typeof WINDOW_FUNCTIONS)[number];
