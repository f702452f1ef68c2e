import { windowRuleParams } from "../../../stream/windows/aggregation-rule.schemas";
import { recomputeBodySchema, recomputeWindow } from "../../../stream/windows/recompute-window";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** One closed window recomputed from the log, late events included. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/windows/rules/[rule]/recompute",
  permission: "write",
  rateLimit: dataRateLimit,
  params: windowRuleParams,
  body: recomputeBodySchema,
  handler: (input) =>
    recomputeWindow({ ...input.services, rule: input.params.rule, body: input.body }),
});
