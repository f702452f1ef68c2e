import { env } from "../../env";
import { type RateLimitRule } from "./api-route";

/** The seed's limit on the data API: 1000 requests per principal per hour, shared by its routes. */
export const dataRateLimit: RateLimitRule = {
  bucket: "data",
  perHour: () => env().LAKE_RATE_LIMIT_DATA_PER_HOUR,
};
