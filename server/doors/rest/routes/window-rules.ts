import { aggregationRuleInputSchema } from "../../../stream/windows/aggregation-rule.schemas";
import { createAggregationRule } from "../../../stream/windows/create-aggregation-rule";
import { findAggregationRules } from "../../../stream/windows/list-aggregation-rules";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/windows/rules",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => ({ rules: await findAggregationRules(input.services) }),
});

export const POST = apiRoute({
  endpoint: "/api/v1/lake/windows/rules",
  permission: "write",
  rateLimit: dataRateLimit,
  body: aggregationRuleInputSchema,
  status: 201,
  handler: (input) => createAggregationRule({ ...input.services, input: input.body }),
});
