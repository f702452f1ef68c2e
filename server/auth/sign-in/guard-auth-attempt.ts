import { cacheServices } from "../../cache/client";
import { rateLimiterFor } from "../../cache/rate-limiter-registry";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";

const WINDOW_SECONDS = 15 * 60;

const limiter = () =>
  rateLimiterFor(cacheServices(), {
    keyPrefix: "auth",
    points: env().LAKE_RATE_LIMIT_AUTH_PER_15_MIN,
    durationSeconds: WINDOW_SECONDS,
  });

/**
 * Counts one attempt at a password, TOTP or backup code, per account and per client IP, and
 * refuses past the limit — a guesser is slowed whichever of the two it varies. Every attempt
 * counts, successful ones included: simple, and no help to a guesser.
 */
export async function guardAuthAttempt(options: {
  account: string;
  ip: string | null;
}): Promise<void> {
  const subjects = [`account:${options.account.toLowerCase()}`, `ip:${options.ip ?? "unknown"}`];
  const results = await Promise.all(subjects.map((subject) => limiter().consume(subject)));
  const refused = results.filter((r) => !r.allowed);
  if (refused.length > 0) {
    const retryAfter = Math.max(1, Math.ceil(Math.max(...refused.map((r) => r.resetMs)) / 1000));
    throw new AppError(
      "rate_limited",
      "Too many attempts. Try again later.",
      { retry_after_seconds: retryAfter },
      { "Retry-After": String(retryAfter) },
    );
  }
}
