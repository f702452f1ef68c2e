import { type Database } from "../../db/client";
import { logger } from "../../observability/logger";
import { tracedFetch } from "../../observability/outbound-spans";
import { withBackgroundSpan } from "../../observability/tracer";
import { CircuitOpenError } from "../../resilience/circuit-open-error";
import { dependencyPolicy, type DependencyPolicy } from "../../resilience/dependency-policy";
import { SIGNATURE_HEADER, signWebhook } from "./sign-webhook";
import { checkWebhookTarget } from "./webhook-target";

type Claimed = {
  id: string;
  webhook_id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
  /** Older than maxAgeMs: given up rather than sent (null without a maximum). */
  expired: boolean | null;
};

export type WebhookDeliveryOptions = {
  db: Database;
  allowPrivate: boolean;
  /** One attempt's limit. */
  timeoutMs: number;
  /**
   * How long a delivery is owed: one still undelivered this long after its alert changed (its
   * endpoint kept failing, its breaker kept it waiting) is given up as `failed`. Unset: until
   * delivered (LAKE_WEBHOOK_MAX_AGE_HOURS sets it in the app).
   */
  maxAgeMs?: number;
  /** How often pending deliveries are looked for. */
  pollMs?: number;
  /** The breaker's wait before a trial call (tests shorten it). */
  halfOpenAfterMs?: number;
};

export type WebhookDelivery = { settle(): Promise<void>; stop(): Promise<void> };

const CLAIM_LIMIT = 20;
const LOCK = "2 minutes";

/** 72 hours, 90 seconds: how long a delivery was owed, as its log says it. */
const describeAge = (ms: number) =>
  ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)} hours` : `${+(ms / 1000).toFixed(1)} seconds`;

/** A status that is not 2xx, as an error the retry policy sees. */
class DeliveryFailed extends Error {}

/**
 * Sends what webhook_deliveries owes through the `webhook` dependency policy — the seed's critical
 * retries (5 attempts, 500 ms → 10 s, ×1.5), with a circuit breaker and a retry budget per
 * webhook (`webhook:<id>`) — logging every attempt. A delivery is claimed for a while (a worker
 * that dies leaves it to another after that); one whose attempts all fail is `failed`; one
 * refused by an open circuit waits for the circuit's trial call instead, for `maxAgeMs` at most
 * (like Stripe's three days): an endpoint gone for good does not leave deliveries owed forever.
 */
export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  const { db } = options;
  const givenUp =
    options.maxAgeMs === undefined
      ? undefined
      : `given up: not delivered within ${describeAge(options.maxAgeMs)}`;
  const breakers = new Map<string, DependencyPolicy>();
  const policyFor = (webhookId: string) => {
    let policy = breakers.get(webhookId);
    if (!policy) {
      policy = dependencyPolicy("webhook", {
        name: `webhook:${webhookId}`,
        label: "The webhook endpoint",
        timeoutMs: options.timeoutMs,
        ...(options.halfOpenAfterMs === undefined
          ? {}
          : { breaker: { halfOpenAfterMs: options.halfOpenAfterMs } }),
      });
      breakers.set(webhookId, policy);
    }
    return policy;
  };

  async function claim(): Promise<Claimed[]> {
    const { rows } = await db.pool.query<Claimed>(
      `WITH claimed AS (
         UPDATE webhook_deliveries SET locked_until = now() + interval '${LOCK}'
          WHERE id IN (SELECT id FROM webhook_deliveries
                        WHERE status = 'pending' AND next_attempt_at <= now()
                          AND (locked_until IS NULL OR locked_until < now())
                        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, webhook_id, body, attempts,
                   created_at < now() - make_interval(secs => $2) AS expired)
       SELECT c.id::text AS id, c.webhook_id, c.body, c.attempts, w.url, w.secret, c.expired
         FROM claimed c JOIN webhooks w ON w.id = c.webhook_id ORDER BY c.id`,
      [CLAIM_LIMIT, options.maxAgeMs === undefined ? null : options.maxAgeMs / 1000],
    );
    return rows;
  }

  async function logAttempt(
    delivery: Claimed,
    attempt: number,
    started: number,
    outcome: { statusCode?: number; error?: string },
  ) {
    await db.pool.query(
      `WITH logged AS (
         INSERT INTO webhook_attempts (delivery_id, attempt, duration_ms, status_code, error)
         VALUES ($1, $2, $3, $4, $5))
       UPDATE webhook_deliveries SET attempts = $2, last_error = $5 WHERE id = $1`,
      [
        delivery.id,
        attempt,
        Date.now() - started,
        outcome.statusCode ?? null,
        outcome.error ?? null,
      ],
    );
  }

  async function attempt(delivery: Claimed, number: number, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    try {
      await checkWebhookTarget(delivery.url, options.allowPrivate);
      const response = await tracedFetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "datapunk-lake-webhooks",
          [SIGNATURE_HEADER]: signWebhook(delivery.secret, delivery.body),
          "Lake-Delivery": delivery.id,
        },
        body: delivery.body,
        redirect: "manual",
        signal,
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) {
        await logAttempt(delivery, number, started, {
          statusCode: response.status,
          error: `answered ${response.status}`,
        });
        throw new DeliveryFailed(`answered ${response.status}`);
      }
      await logAttempt(delivery, number, started, { statusCode: response.status });
    } catch (error) {
      if (error instanceof DeliveryFailed) throw error;
      const message = signal.aborted
        ? `no answer within ${options.timeoutMs} ms`
        : (error as Error).message;
      await logAttempt(delivery, number, started, { error: message });
      throw error;
    }
  }

  async function deliver(delivery: Claimed): Promise<void> {
    if (delivery.expired) {
      await db.pool.query(
        `UPDATE webhook_deliveries SET status = 'failed', locked_until = NULL, last_error = $2
          WHERE id = $1`,
        [delivery.id, givenUp],
      );
      return;
    }
    let number = delivery.attempts;
    const policy = policyFor(delivery.webhook_id);
    try {
      await policy.execute(({ signal }) => attempt(delivery, ++number, signal));
      await db.pool.query(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(),
                locked_until = NULL WHERE id = $1`,
        [delivery.id],
      );
    } catch (error) {
      // Open now — it refused this call, or this call's failures opened it (the last attempts of
      // the delivery that tripped it, a failed trial): the endpoint is down, not this delivery at
      // fault. Without the second case the delivery caught by an outage's start, and one more at
      // every failed trial, was given up as `failed` while the rest waited and went out.
      const retryAfterMs =
        error instanceof CircuitOpenError ? error.retryAfterMs : policy.snapshot().retryAfterMs;
      if (retryAfterMs !== undefined) {
        // Wait for the breaker's trial rather than spending this delivery's attempts on it.
        await db.pool.query(
          `UPDATE webhook_deliveries
              SET next_attempt_at = now() + make_interval(secs => $2), locked_until = NULL,
                  last_error = 'circuit open: the endpoint failed repeatedly'
            WHERE id = $1`,
          [delivery.id, Math.max(retryAfterMs, 100) / 1000],
        );
        return;
      }
      await db.pool.query(
        `UPDATE webhook_deliveries SET status = 'failed', locked_until = NULL WHERE id = $1`,
        [delivery.id],
      );
    }
  }

  /** One round: every claimable delivery sent (or given up); true if there were any. */
  async function round(): Promise<boolean> {
    const claimed = await claim();
    // Each delivery is a trace of its own: its attempts (CLIENT spans) and what it records.
    await Promise.all(
      claimed.map((delivery) =>
        withBackgroundSpan(
          "webhook delivery",
          { attributes: { "lake.webhook.id": delivery.webhook_id } },
          () => deliver(delivery),
        ),
      ),
    );
    return claimed.length > 0;
  }

  let stopped = false;
  let wake: (() => void) | undefined;
  const running = (async () => {
    while (!stopped) {
      const more = await round().catch((error: unknown) => {
        logger().warn({ err: error }, "webhook delivery failed; will retry");
        return false;
      });
      if (more) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.pollMs ?? 500).unref();
      });
    }
  })();

  return {
    async settle() {
      while (await round());
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
      for (const policy of breakers.values()) policy.dispose();
    },
  };
}
