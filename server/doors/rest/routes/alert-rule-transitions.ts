import { alertRuleParams } from "../../../stream/alerts/alert-rule.schemas";
import {
  listAlertTransitions,
  transitionQuerySchema,
} from "../../../stream/alerts/list-alert-transitions";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/alerts/rules/[rule]/transitions",
  permission: "read",
  rateLimit: dataRateLimit,
  params: alertRuleParams,
  query: transitionQuerySchema,
  handler: async (input) => ({
    transitions: await listAlertTransitions({
      ...input.services,
      rule: input.params.rule,
      query: input.query,
    }),
  }),
});
