import { listRecentActivity } from "../../../audit/list-recent-activity";
import { getDataVolumes } from "../../../overview/get-data-volumes";
import { getRequestHistory } from "../../../overview/get-request-history";
import { requestHistoryInputSchema } from "../../../overview/overview.schemas";
import { protectedProcedure, router } from "../init";

/**
 * The dashboard's figures, one procedure per card so each polls at its own pace and fails alone.
 * Dependency and breaker status is system.status (the same checks as GET /ready).
 */
export const overviewRouter = router({
  /** Polled every few seconds; tiny (in memory). */
  requests: protectedProcedure
    .input(requestHistoryInputSchema)
    .query(({ input }) => getRequestHistory(input)),
  volumes: protectedProcedure.query(({ ctx }) => getDataVolumes(ctx.services)),
  activity: protectedProcedure.query(({ ctx }) => listRecentActivity(ctx.services)),
});
