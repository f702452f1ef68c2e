import { env } from "../../env";
import { AppError } from "../../http/app-error";
import { singleton } from "../../singleton";
import { CortexProvider } from "./cortex-provider";
import { HashingEmbedder } from "./hashing-embedder";

/** Turns texts into 1536-dimension vectors. */
export interface EmbeddingProvider {
  /** Shown in the console and docs, e.g. "cortex" or "local lexical hashing". */
  readonly name: string;
  /** Recorded on every embedding it produces. */
  readonly model: string;
  /** One vector per text, in order. Failures are AppErrors (503 when the provider is down). */
  embed(texts: string[]): Promise<number[][]>;
}

/**
 * The process's provider: Cortex when CORTEX_URL is set, else the built-in lexical embedder,
 * unless LAKE_EMBEDDER=none turns it off (then there is none, and text search is a 400).
 */
export function embeddingProvider(): EmbeddingProvider | undefined {
  return singleton("vectors:embedding-provider", () => {
    const config = env();
    if (config.CORTEX_URL) {
      return new CortexProvider({
        url: config.CORTEX_URL,
        apiKey: config.CORTEX_API_KEY,
        model: config.CORTEX_MODEL,
        timeoutMs: config.CORTEX_TIMEOUT_MS,
      });
    }
    return config.LAKE_EMBEDDER === "hashing" ? new HashingEmbedder() : undefined;
  });
}

/**
 * One text's vector through `provider`. Without one, the request cannot succeed on this
 * instance whatever its timing, so it is a 400 (not a 503 inviting a retry) that says what to do.
 */
export async function embedText(
  provider: EmbeddingProvider | undefined,
  text: string,
): Promise<{ vector: number[]; model: string }> {
  if (!provider) {
    throw new AppError(
      "bad_request",
      "Text embedding is not available: no provider is configured (CORTEX_URL) and the local " +
        "embedder is disabled (LAKE_EMBEDDER=none). Send a vector or a recordId instead.",
      { reason: "no_embedding_provider" },
    );
  }
  const [vector] = await provider.embed([text]);
  if (!vector)
    throw new AppError("service_unavailable", "The embedding provider returned nothing.");
  return { vector, model: provider.model };
}
