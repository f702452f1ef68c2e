import { env } from "../../env";
import { singleton } from "../../singleton";
import { CortexProvider } from "./cortex-provider";
import { type EmbeddingProvider } from "./embedding-provider";
import { HashingEmbedder } from "./hashing-embedder";

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
