import { alertRuleInputSchema } from "../../../stream/alerts/alert-rule.schemas";
import { createAlertRule, listAlertRules } from "../../../stream/alerts/alert-rules";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/alerts/rules",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => ({ rules: await listAlertRules(input.services) }),
});

export const POST = apiRoute({
  endpoint: "/api/v1/lake/alerts/rules",
  permission: "write",
  rateLimit: dataRateLimit,
  body: alertRuleInputSchema,
  status: 201,
  handler: (input) => createAlertRule({ ...input.services, input: input.body }),
});
