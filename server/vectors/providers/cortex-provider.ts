import { TaskCancelledError } from "cockatiel";
import { z } from "zod";

import { AppError } from "../../errors/app-error";
import { tracedFetch } from "../../observability/outbound-spans";
import {
  dependencyPolicy,
  type DependencyPolicy,
  type DependencyPolicyOptions,
} from "../../resilience/dependency-policy";
import { vectorSchema } from "../vectors.schemas";
import { type EmbeddingProvider } from "./embedding-provider";

export type CortexProviderOptions = {
  /** Base URL; the provider POSTs to `${url}/embeddings`. */
  url: string;
  apiKey?: string;
  model: string;
  /** Per attempt. */
  timeoutMs: number;
  /**
   * The `cortex` dependency's policy (server/resilience/dependencies.ts) unless overridden
   * (tests): the seed's default retries, a breaker and a retry budget of its own, a bulkhead.
   */
  policy?: Omit<DependencyPolicyOptions, "timeoutMs" | "isTransient">;
};

/** OpenAI-style: `{data: [{embedding, index}]}`. */
const responseSchema = z.object({
  data: z.array(z.object({ embedding: vectorSchema, index: z.number().int().optional() })),
});

class CortexHttpError extends Error {
  constructor(readonly status: number) {
    super(`Cortex answered ${status}`);
  }
}

/** Worth another attempt: a timeout, no answer at all (fetch's TypeError), 429 or a 5xx. */
function isTransient(error: Error): boolean {
  if (error instanceof TaskCancelledError || error instanceof TypeError) return true;
  return error instanceof CortexHttpError && (error.status === 429 || error.status >= 500);
}

/**
 * The Cortex embedding service over HTTP, through the `cortex` dependency policy: each attempt
 * has its own timeout, transient failures are retried with jittered backoff within the retry
 * budget, and after repeated failures the circuit opens and calls fail at once (503 with
 * Retry-After) until a trial call succeeds. Whatever still fails is a 503 `service_unavailable`
 * (the provider's own message is not passed on, only its status).
 */
export class CortexProvider implements EmbeddingProvider {
  readonly name = "cortex";
  readonly model: string;
  readonly policy: DependencyPolicy;

  constructor(private readonly options: CortexProviderOptions) {
    this.model = options.model;
    this.policy = dependencyPolicy("cortex", {
      label: "The embedding provider (Cortex)",
      ...options.policy,
      timeoutMs: options.timeoutMs,
      isTransient,
    });
  }

  async embed(texts: string[]): Promise<number[][]> {
    let body: unknown;
    try {
      body = await this.policy.execute(({ signal }) => this.post(texts, signal));
    } catch (error) {
      // An open circuit or a full bulkhead: already the 503 to answer, with its Retry-After.
      if (error instanceof AppError) throw error;
      throw new AppError(
        "service_unavailable",
        "The embedding provider is unavailable.",
        {
          provider: this.name,
          ...(error instanceof CortexHttpError ? { status: error.status } : {}),
          ...(error instanceof TaskCancelledError ? { reason: "timeout" } : {}),
        },
        { "Retry-After": "5" },
      );
    }
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success || parsed.data.data.length !== texts.length) {
      throw new AppError(
        "service_unavailable",
        "The embedding provider sent an unexpected answer.",
        {
          provider: this.name,
        },
      );
    }
    const items = [...parsed.data.data];
    if (items.every((item) => item.index !== undefined)) items.sort((a, b) => a.index! - b.index!);
    return items.map((item) => item.embedding);
  }

  private async post(texts: string[], signal: AbortSignal): Promise<unknown> {
    const response = await tracedFetch(`${this.options.url.replace(/\/+$/, "")}/embeddings`, {
      method: "POST",
      signal,
      headers: {
        "content-type": "application/json",
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: this.model, input: texts }),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new CortexHttpError(response.status);
    }
    return response.json();
  }
}
