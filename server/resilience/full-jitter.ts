import { ExponentialBackoff, type GeneratorFn } from "cockatiel";

import { RETRY_POLICIES, type RetryPolicy, type RetryPolicyName } from "./retry-policies";

/** The most the `retry`-th delay (0 = before the first retry) may be: initial × exponent^n, capped. */
export function backoffCeilingMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.exponent ** retry);
}

/**
 * Full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog; what gRPC's retry design
 * uses): a delay drawn uniformly from [0, ceiling). Clients that failed together spread their
 * retries over the whole window instead of returning in waves.
 */
export function fullJitterDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeilingMs(policy, retry));
}

/**
 * The same as a cockatiel backoff. Not cockatiel's own `fullJitterGenerator`: it is built on its
 * `noJitterGenerator`, which grows by 2^n whatever `exponent` says, so the critical policy's ×1.5
 * would silently become ×2.
 */
export function fullJitterBackoff(
  policy: RetryPolicy,
  random: () => number = Math.random,
): ExponentialBackoff<number> {
  const generator: GeneratorFn<number> = (retry = 0) => [
    fullJitterDelayMs(policy, retry, random),
    retry + 1,
  ];
  return new ExponentialBackoff({
    generator,
    initialDelay: policy.initialDelayMs,
    maxDelay: policy.maxDelayMs,
    exponent: policy.exponent,
  });
}

/**
 * A reconnect delay for clients that reconnect by themselves forever (ioredis): the policy's
 * jittered backoff, with its ceiling held at `capMs` so a long outage is noticed to be over soon.
 */
export function reconnectDelayMs(
  name: RetryPolicyName,
  attempt: number,
  options: { capMs?: number; random?: () => number } = {},
): number {
  const policy = RETRY_POLICIES[name];
  const capped = { ...policy, maxDelayMs: Math.min(policy.maxDelayMs, options.capMs ?? Infinity) };
  return fullJitterDelayMs(capped, Math.max(0, attempt - 1), options.random);
}
