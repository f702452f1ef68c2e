import { env } from "../../env";
import { type RateLimitRule } from "./api-route";

/** Every /api/v1/lake/import request (tus chunks, job calls) counts against one hourly budget. */
export const importRateLimit: RateLimitRule = {
  bucket: "import",
  perHour: () => env().LAKE_RATE_LIMIT_IMPORT_PER_HOUR,
};
