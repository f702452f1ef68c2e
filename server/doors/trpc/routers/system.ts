import { getSystemStatus } from "../../../observability/system-status";
import { publicProcedure, router } from "../init";

export const systemRouter = router({
  /** Live status for the dashboard: the same checks as GET /ready. */
  status: publicProcedure.query(() => getSystemStatus()),
});
