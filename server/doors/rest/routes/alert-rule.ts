import { alertRuleParams } from "../../../stream/alerts/alert-rule.schemas";
import { deleteAlertRule, getAlertRule } from "../../../stream/alerts/alert-rules";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/alerts/rules/[rule]",
  permission: "read",
  rateLimit: dataRateLimit,
  params: alertRuleParams,
  handler: (input) => getAlertRule({ ...input.services, rule: input.params.rule }),
});

export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/alerts/rules/[rule]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params: alertRuleParams,
  handler: async (input) => {
    await deleteAlertRule({ ...input.services, rule: input.params.rule });
    return new Response(null, { status: 204 });
  },
});
