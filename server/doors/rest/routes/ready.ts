import { AppError } from "../../../errors/app-error";
import { route } from "../route";
import { getSystemStatus } from "../../../observability/system-status";

/**
 * Readiness: 200 when PostgreSQL answers (a non-critical dependency down → "degraded"); 503 in
 * the envelope, with the report in details, when it does not — and from SIGTERM on, while the
 * instance drains, so load balancers stop sending it requests.
 */
export const GET = route({
  endpoint: "/ready",
  handler: async () => {
    const report = await getSystemStatus();
    if (report.status === "draining") {
      throw new AppError("service_unavailable", "This instance is shutting down.", report);
    }
    if (report.status === "unavailable") {
      throw new AppError("database_unavailable", "PostgreSQL is unreachable.", report, {
        "Retry-After": "5",
      });
    }
    return report;
  },
});
