import { authorize } from "../../auth/authorize";
import { queryRows } from "../../data/records/query-rows";
import { AppError } from "../../errors/app-error";
import { findInputProblem } from "../../input/storable-input";
import { type ServiceContext } from "../../service-context";
import { insertTimeSeriesSql } from "./time-series.queries";
import { MAX_POINTS_PER_WRITE, timeSeriesPointSchema } from "./time-series.schemas";

/**
 * Stores the Stream service's points (timeseries_storage), all or nothing: one invalid point
 * refuses the write with every problem listed by index. Points are idempotent per write only;
 * the Stream service sends each window's point once per ack.
 */
export async function writeTimeSeries(
  options: ServiceContext & { points: unknown[] },
): Promise<{ written: number }> {
  authorize(options.principal, "write");
  if (options.points.length > MAX_POINTS_PER_WRITE) {
    throw new AppError("bad_request", `At most ${MAX_POINTS_PER_WRITE} points per write.`);
  }
  const problems: { index: number; path: string; message: string }[] = [];
  const points = options.points.flatMap((raw, index) => {
    const parsed = timeSeriesPointSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ index, path: issue.path.join("."), message: issue.message });
      }
      return [];
    }
    const problem = findInputProblem(parsed.data, []);
    if (problem) {
      problems.push({ index, path: problem.path, message: `The value ${problem.message}.` });
      return [];
    }
    return [parsed.data];
  });
  if (problems.length > 0) {
    throw new AppError("validation_failed", "Some points are invalid; none was written.", problems);
  }
  if (points.length === 0) return { written: 0 };
  await queryRows(
    options.db,
    "lake_write_time_series",
    insertTimeSeriesSql(points, options.principal.userId),
  );
  return { written: points.length };
}
