import { AppError } from "../errors/app-error";

/**
 * A call refused at once because its dependency's circuit is open: 503 `service_unavailable`
 * with `Retry-After` set to the seconds until the breaker lets a trial call through.
 */
export class CircuitOpenError extends AppError {
  constructor(
    readonly dependency: string,
    readonly retryAfterMs: number,
    label: string = dependency,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      "service_unavailable",
      `${label} is unavailable: it failed repeatedly, so calls wait for a trial call in ${seconds} s.`,
      { dependency, breaker: "open", retry_after_seconds: seconds },
      { "Retry-After": String(seconds) },
    );
    this.name = "CircuitOpenError";
  }
}
