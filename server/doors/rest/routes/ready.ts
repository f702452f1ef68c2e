import { AppError } from "../../../errors/app-error";
import { route } from "../route";
import { getSystemStatus } from "../../../observability/system-status";

/** Readiness: 200 when PostgreSQL answers (Redis down → "degraded"), 503 in the envelope when not. */
export const GET = route({
  endpoint: "/ready",
  handler: async () => {
    const report = await getSystemStatus();
    if (report.status === "unavailable") {
      throw new AppError("database_unavailable", "PostgreSQL is unreachable.", report, {
        "Retry-After": "5",
      });
    }
    return report;
  },
});
