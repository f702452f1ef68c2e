import { listWindows, windowQuerySchema } from "../../../stream/windows/list-windows";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { windowRuleParams } from "../../../stream/windows/aggregation-rule.schemas";

/** A rule's closed windows in a time range: ?from, ?to (ISO 8601; the last day by default), ?limit. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/windows/rules/[rule]/windows",
  permission: "read",
  rateLimit: dataRateLimit,
  params: windowRuleParams,
  query: windowQuerySchema,
  handler: (input) =>
    listWindows({ ...input.services, rule: input.params.rule, query: input.query }),
});
