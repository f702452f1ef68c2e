import { AppError } from "../../errors/app-error";

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
