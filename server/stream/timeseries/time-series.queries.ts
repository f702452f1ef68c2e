import { Prisma } from "../../db/generated/client";
import { type z } from "zod";

import { type timeSeriesPointSchema } from "./time-series.schemas";

/** The INSERT of validated points, for any client: the gRPC door's writes and the forwarder's. */
export function insertTimeSeriesSql(
  points: z.output<typeof timeSeriesPointSchema>[],
  ownerId: string,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO time_series_points (series, time, value, tags, owner_id)
    SELECT series, time, value, tags, ${ownerId}::uuid
      FROM unnest(${points.map((p) => p.series)}::text[],
                  ${points.map((p) => p.timestamp)}::text[]::timestamptz[],
                  ${points.map((p) => p.value)}::float8[],
                  ${points.map((p) => JSON.stringify(p.tags))}::text[]::jsonb[])
        AS t(series, time, value, tags)`;
}
