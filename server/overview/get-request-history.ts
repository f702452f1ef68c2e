import { requestHistory } from "../observability/request-history";
import {
  requestHistorySchema,
  type RequestHistoryInput,
  type RequestHistoryView,
} from "./overview.schemas";

/**
 * This instance's request samples for the overview's charts: the last `windowSeconds`, or only
 * from the client's newest point on (it polls, and asks for what it lacks). Any signed-in user
 * may read them: they are the instance's totals, no data of anyone's (/metrics is public).
 */
export function getRequestHistory(input: RequestHistoryInput): RequestHistoryView {
  const history = requestHistory();
  const windowStart = Date.now() - input.windowSeconds * 1000;
  const from = Math.max(input.after ?? windowStart, windowStart);
  return requestHistorySchema.parse(history.since(from));
}
