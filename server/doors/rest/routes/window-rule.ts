import { windowRuleParams } from "../../../stream/windows/aggregation-rule.schemas";
import { deleteAggregationRule } from "../../../stream/windows/delete-aggregation-rule";
import { getAggregationRule } from "../../../stream/windows/get-aggregation-rule";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/windows/rules/[rule]",
  permission: "read",
  rateLimit: dataRateLimit,
  params: windowRuleParams,
  handler: (input) => getAggregationRule({ ...input.services, rule: input.params.rule }),
});

export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/windows/rules/[rule]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params: windowRuleParams,
  handler: async (input) => {
    await deleteAggregationRule({ ...input.services, rule: input.params.rule });
    return new Response(null, { status: 204 });
  },
});
