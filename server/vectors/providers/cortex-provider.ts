import {
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from "cockatiel";
import { z } from "zod";

import { AppError } from "../../errors/app-error";
import { vectorSchema } from "../vectors.schemas";
import { type EmbeddingProvider } from "./embedding-provider";

export type CortexProviderOptions = {
  /** Base URL; the provider POSTs to `${url}/embeddings`. */
  url: string;
  apiKey?: string;
  model: string;
  /** Per attempt. */
  timeoutMs: number;
  /** The seed's policy unless overridden (tests): 3 attempts, 1 s → 30 s, ×2. */
  retry?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
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
 * The Cortex embedding service over HTTP. Each attempt has its own timeout; transient failures are
 * retried with exponential backoff; whatever still fails is a 503 `service_unavailable` (the
 * provider's own message is not passed on, only its status).
 */
export class CortexProvider implements EmbeddingProvider {
  readonly name = "cortex";
  readonly model: string;
  private readonly policy;

  constructor(private readonly options: CortexProviderOptions) {
    this.model = options.model;
    const attempts = options.retry?.attempts ?? 3;
    const backoff = new ExponentialBackoff({
      initialDelay: options.retry?.initialDelayMs ?? 1_000,
      maxDelay: options.retry?.maxDelayMs ?? 30_000,
      exponent: 2,
    });
    this.policy = wrap(
      // cockatiel counts retries, not attempts.
      retry(handleWhen(isTransient), { maxAttempts: attempts - 1, backoff }),
      timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
    );
  }

  async embed(texts: string[]): Promise<number[][]> {
    let body: unknown;
    try {
      body = await this.policy.execute(({ signal }) => this.post(texts, signal));
    } catch (error) {
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
    const response = await fetch(`${this.options.url.replace(/\/+$/, "")}/embeddings`, {
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
